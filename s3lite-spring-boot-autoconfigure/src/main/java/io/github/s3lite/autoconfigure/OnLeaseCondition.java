package io.github.s3lite.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import io.github.s3lite.internal.config.LeaseOptions;

/**
 * Matches when the single-writer lease is on, as {@link LeaseOptions#enabled} decides:
 * {@code s3lite.lease.enabled}, which defaults to whether {@code s3lite.backup-to} is set (an invalid
 * value or combination is reported by the {@code s3liteConfig} bean), except in a training run
 * ({@link TrainingRun}).
 */
final class OnLeaseCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		if (TrainingRun.active()) {
			return ConditionOutcome.noMatch("a training run takes no lease");
		}
		Environment environment = context.getEnvironment();
		String backupTo = environment.getProperty("s3lite.backup-to");
		boolean on = LeaseOptions.enabled(flag(environment.getProperty("s3lite.lease.enabled")),
				backupTo != null && !backupTo.isBlank());
		return on ? ConditionOutcome.match("the single-writer lease is on")
				: ConditionOutcome.noMatch("the single-writer lease is off (s3lite.lease.enabled, s3lite.backup-to)");
	}

	/** The flag when it is one; any other value is left to the binding of s3lite.*, which reports it. */
	private static Boolean flag(String value) {
		String flag = (value != null) ? value.strip() : "";
		return "true".equalsIgnoreCase(flag) ? Boolean.TRUE : "false".equalsIgnoreCase(flag) ? Boolean.FALSE : null;
	}

	/**
	 * Matches when the single-writer lease is off.
	 */
	static final class Off extends SpringBootCondition {

		private final OnLeaseCondition on = new OnLeaseCondition();

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionOutcome outcome = this.on.getMatchOutcome(context, metadata);
			return new ConditionOutcome(!outcome.isMatch(), outcome.getConditionMessage());
		}

	}

}
