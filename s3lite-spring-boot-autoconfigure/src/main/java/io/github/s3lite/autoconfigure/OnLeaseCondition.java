package io.github.s3lite.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the single-writer lease is on: {@code s3lite.lease.enabled}, which defaults to whether
 * {@code s3lite.backup-to} is set (as {@code LeaseOptions} decides; an invalid combination is reported
 * by the {@code s3liteConfig} bean), except in a training run ({@link TrainingRun}).
 */
final class OnLeaseCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		if (TrainingRun.active()) {
			return ConditionOutcome.noMatch("a training run takes no lease");
		}
		Environment environment = context.getEnvironment();
		String enabled = environment.getProperty("s3lite.lease.enabled");
		String backupTo = environment.getProperty("s3lite.backup-to");
		boolean on = (enabled != null && !enabled.isBlank()) ? Boolean.parseBoolean(enabled.strip())
				: backupTo != null && !backupTo.isBlank();
		return on ? ConditionOutcome.match("the single-writer lease is on")
				: ConditionOutcome.noMatch("the single-writer lease is off (s3lite.lease.enabled, s3lite.backup-to)");
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
