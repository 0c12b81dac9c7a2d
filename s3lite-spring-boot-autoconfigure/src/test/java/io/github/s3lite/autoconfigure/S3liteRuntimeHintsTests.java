package io.github.s3lite.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import io.github.s3lite.config.S3liteProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime hints an AOT-processed application gets from s3lite.
 */
class S3liteRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	S3liteRuntimeHintsTests() {
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(this.hints, getClass().getClassLoader()));
	}

	@Test
	void theBundledBinariesAndTheirChecksumsAreResourcesOfTheImage() {
		assertThat(RuntimeHintsPredicates.resource().forResource("io/github/s3lite/litestream/binaries.properties"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("io/github/s3lite/litestream/linux-x86_64/litestream"))
			.accepts(this.hints);
	}

	@Test
	void thePropertiesBoundEarlyForTheBackgroundRestoreCanBeBoundReflectively() {
		assertThat(RuntimeHintsPredicates.reflection().onType(S3liteProperties.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(S3liteProperties.S3.class)).accepts(this.hints);
	}

}
