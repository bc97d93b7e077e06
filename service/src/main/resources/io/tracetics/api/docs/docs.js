// Starts Swagger UI on this service's OpenAPI document. A file of its own: the page's
// Content-Security-Policy allows no inline script.
window.ui = SwaggerUIBundle({
  url: '/api/v1/openapi.yaml',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // Never send the document to swagger.io's public validator (nor show its badge).
  validatorUrl: null,
});
