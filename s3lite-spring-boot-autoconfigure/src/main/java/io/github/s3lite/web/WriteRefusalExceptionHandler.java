package io.github.s3lite.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.github.s3lite.replication.NotWriterException;
import io.github.s3lite.replication.NotReplicatedException;

/**
 * Answers a write s3lite refused ({@link NotWriterException}, {@link NotReplicatedException}, anywhere
 * in the cause chain) with {@code 503 Service Unavailable}, {@code Retry-After} and a problem body (see
 * {@link WriteRefusal}), for Spring MVC and Spring WebFlux controllers. Other exceptions keep their
 * handling. It has the lowest precedence: an {@code @ExceptionHandler} of the controller, or of an
 * application's own {@code @ControllerAdvice}, that matches the exception or one of its causes wins.
 * Turned off by {@code s3lite.web.enabled=false}; replaced by a bean of this type.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class WriteRefusalExceptionHandler {

	/**
	 * Answer a refused write.
	 * @param failure the failure, whose cause chain holds the refusal
	 * @return 503 with {@code Retry-After} and a problem body
	 * @throws Throwable the failure itself when it holds no refusal (never, given the mapping)
	 */
	@ExceptionHandler({ NotWriterException.class, NotReplicatedException.class })
	public ResponseEntity<ProblemDetail> writeRefused(Throwable failure) throws Throwable {
		WriteRefusal refusal = WriteRefusal.find(failure);
		if (refusal == null) {
			throw failure;
		}
		return refusal.toResponseEntity();
	}

}
