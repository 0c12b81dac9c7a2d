package io.github.s3lite.test.context;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the test's application context its own s3lite database in a new temporary directory: sets
 * {@code s3lite.path} and, unless {@link #replication()} is {@code false}, {@code s3lite.restore-from}
 * and {@code s3lite.backup-to} to a {@code file:} replica next to it, so the real litestream runs
 * without S3. The directory belongs to the context, not to the test class: test classes that share
 * a cached context share it, and it is deleted only after the context has closed (litestream stopped,
 * pool closed), never under a running context. Properties the test sets itself win.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureS3liteTestDatabase {

	/**
	 * Whether to replicate to (and restore from) a {@code file:} replica in the temporary directory.
	 * Without replication no litestream process runs.
	 * @return whether to replicate
	 */
	boolean replication() default true;

}
