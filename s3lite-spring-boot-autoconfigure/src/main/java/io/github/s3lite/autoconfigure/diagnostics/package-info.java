/**
 * Failure analyzers that turn s3lite's startup failures into Spring Boot's "APPLICATION FAILED TO
 * START" report, with a description of what went wrong and the action that fixes it.
 */
package io.github.s3lite.autoconfigure.diagnostics;
