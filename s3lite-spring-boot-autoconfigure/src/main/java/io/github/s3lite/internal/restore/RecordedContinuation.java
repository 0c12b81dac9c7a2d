package io.github.s3lite.internal.restore;

import java.util.Optional;

import io.github.s3lite.internal.storage.WritePermit;

/**
 * A {@link ContinuationRule} that remembers the end of the restored database it let continue its
 * generation: until the writer uploads, that is where the replica ends, known without a listing (which
 * may lag the writes).
 */
public final class RecordedContinuation implements ContinuationRule {

	private final ContinuationRule rule;

	private volatile Optional<String> continued = Optional.empty();

	/**
	 * Record the verdicts of a rule.
	 * @param rule the rule that decides
	 */
	public RecordedContinuation(ContinuationRule rule) {
		this.rule = rule;
	}

	@Override
	public Verdict decide(Optional<String> restoredEnd, EndOrder order) {
		Verdict verdict = this.rule.decide(restoredEnd, order);
		this.continued = (verdict == Verdict.CONTINUE) ? restoredEnd : Optional.empty();
		return verdict;
	}

	@Override
	public boolean awaitsEnd() {
		return this.rule.awaitsEnd();
	}

	@Override
	public WritePermit permit() {
		return this.rule.permit();
	}

	/**
	 * Return the end of the restored database that continues its generation, after the last verdict.
	 * @return the end, empty when the last verdict was not to continue, or the end was unknown
	 */
	public Optional<String> continuedEnd() {
		return this.continued;
	}

}
