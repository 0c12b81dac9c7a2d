package io.github.s3lite.autoconfigure;

import java.util.List;
import java.util.function.Consumer;

import org.springframework.beans.factory.ObjectProvider;

import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The application's {@link S3liteS3ClientCustomizer} beans, in the order the S3 connection applies them
 * to every client s3lite builds.
 */
final class S3ClientCustomizers {

	private S3ClientCustomizers() {
	}

	/**
	 * Return the customizers in {@code @Order}/{@code Ordered} order.
	 * @param customizers the customizer beans
	 * @return the customizations, for {@code S3Connection.withClientCustomizers}
	 */
	static List<Consumer<S3ClientBuilder>> inOrder(ObjectProvider<S3liteS3ClientCustomizer> customizers) {
		return customizers.orderedStream()
			.<Consumer<S3ClientBuilder>>map((customizer) -> customizer::customize)
			.toList();
	}

}
