/**
 * Web answers to writes s3lite refuses: {@code 503 Service Unavailable} with {@code Retry-After} and an
 * RFC 9457 problem body, for Spring MVC and Spring WebFlux.
 */
package io.github.s3lite.web;
