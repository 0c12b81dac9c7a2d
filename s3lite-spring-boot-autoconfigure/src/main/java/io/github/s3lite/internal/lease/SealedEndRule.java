package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.restore.ContinuationRule;
import io.github.s3lite.internal.storage.WritePermit;

/**
 * The rule a writer's restore follows under the lease: it continues the restored generation only when the
 * restore ends exactly where the last writer sealed the replica ({@link WriterMark#seal}); without a seal
 * (the last writer crashed, was fenced, or predates the seal) it starts a new generation, and a restore
 * that ends elsewhere is made again (the listing may lag) before it starts one. The generations it does
 * not continue are marked superseded under this writer's permit.
 */
final class SealedEndRule implements ContinuationRule {

	private static final Logger logger = LoggerFactory.getLogger(SealedEndRule.class);

	private final SealRead seal;

	private final WritePermit permit;

	private final String location;

	SealedEndRule(SealRead seal, WritePermit permit, String location) {
		this.seal = seal;
		this.permit = permit;
		this.location = location;
	}

	@Override
	public Verdict decide(Optional<String> restoredEnd) {
		Optional<String> sealed;
		try {
			sealed = this.seal.read();
		}
		catch (IOException ex) {
			logger.info("Cannot read {} ({}); replication starts a new generation", WriterMark.KEY, ex.getMessage());
			return Verdict.NEW_GENERATION;
		}
		if (restoredEnd.isEmpty()) {
			logger.info("The restore of {} cannot tell where it ended (s3lite.litestream.native-restore=false); "
					+ "replication starts a new generation", this.location);
			return Verdict.NEW_GENERATION;
		}
		if (sealed.isEmpty()) {
			logger.info("The last writer of {} did not record where it stopped (it crashed, was fenced or never "
					+ "wrote); replication starts a new generation", this.location);
			return Verdict.NEW_GENERATION;
		}
		return sealed.equals(restoredEnd) ? Verdict.CONTINUE : Verdict.RESTORE_AGAIN;
	}

	@Override
	public WritePermit permit() {
		return this.permit;
	}

	/** A read of the sealed end. */
	@FunctionalInterface
	interface SealRead {

		Optional<String> read() throws IOException;

	}

}
