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
 * (the last writer crashed, was fenced, or predates the seal) it starts a new generation, but only from
 * a restore that reached the end the last writer's claim carried forward, if it carried one (its
 * predecessor's seal: the claimant may have failed before it wrote). A restore that ends elsewhere is
 * made again (the listing may lag) before it starts one. The generations it does not continue are
 * marked superseded under this writer's permit.
 */
final class SealedEndRule implements ContinuationRule {

	private static final Logger logger = LoggerFactory.getLogger(SealedEndRule.class);

	private final MarkRead mark;

	private final WritePermit permit;

	private final String location;

	SealedEndRule(MarkRead mark, WritePermit permit, String location) {
		this.mark = mark;
		this.permit = permit;
		this.location = location;
	}

	@Override
	public Verdict decide(Optional<String> restoredEnd, EndOrder order) {
		Optional<LastWriter> last;
		try {
			last = this.mark.read();
		}
		catch (IOException ex) {
			logger.info("Cannot read {} ({}); restoring again", WriterMark.KEY, ex.getMessage());
			return Verdict.RESTORE_AGAIN;
		}
		if (restoredEnd.isEmpty()) {
			logger.info("The restore of {} cannot tell where it ended (s3lite.litestream.native-restore=false); "
					+ "replication starts a new generation", this.location);
			return Verdict.NEW_GENERATION;
		}
		Optional<String> sealed = last.flatMap(LastWriter::end);
		if (sealed.isPresent()) {
			return sealed.equals(restoredEnd) ? Verdict.CONTINUE : Verdict.RESTORE_AGAIN;
		}
		Optional<String> reached = last.flatMap(LastWriter::reached);
		if (reached.isPresent() && !order.reaches(restoredEnd.get(), reached.get())) {
			return Verdict.RESTORE_AGAIN;
		}
		logger.info("The last writer of {} did not record where it stopped (it crashed, was fenced or never "
				+ "wrote){}; replication starts a new generation", this.location,
				reached.isPresent() ? ", and the restore reached the end its predecessor sealed" : "");
		return Verdict.NEW_GENERATION;
	}

	@Override
	public boolean awaitsEnd() {
		try {
			return this.mark.read().flatMap(LastWriter::provenEnd).isPresent();
		}
		catch (IOException ex) {
			return true;
		}
	}

	@Override
	public WritePermit permit() {
		return this.permit;
	}

	/** A read of the replica's mark. */
	@FunctionalInterface
	interface MarkRead {

		Optional<LastWriter> read() throws IOException;

	}

}
