package io.tracetics.tenancy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope an API key needs for this resource method. Every method that takes a tenant principal
 * declares one; the application refuses to start when one does not, so nothing new can appear
 * unguarded.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresScope {
  Scope value();
}
