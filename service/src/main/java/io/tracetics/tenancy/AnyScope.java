package io.tracetics.tenancy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method any valid tenant credential may call whatever its scopes: what the caller
 * needs to find its way (who it is, its apps, its usage), never data of an app it may not use.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AnyScope {}
