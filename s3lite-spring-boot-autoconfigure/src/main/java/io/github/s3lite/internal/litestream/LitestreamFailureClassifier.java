package io.github.s3lite.internal.litestream;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.s3lite.internal.engine.ReplicaFailure;

/**
 * Turns the output of a failed litestream command into a {@link ReplicaFailure} and a sentence that
 * names the cause and the fix.
 */
final class LitestreamFailureClassifier {

	private static final List<String> PANIC = List.of("panic:", "index out of range");

	private static final Map<ReplicaFailure, List<String>> MARKERS = Map.of(ReplicaFailure.MISSING_BUCKET,
			List.of("nosuchbucket", "specified bucket does not exist"), ReplicaFailure.BAD_CREDENTIALS,
			List.of("invalidaccesskeyid", "signaturedoesnotmatch", "accessdenied", "status code: 403",
					"nocredentialproviders", "forbidden", "invalidtoken", "expiredtoken"),
			ReplicaFailure.UNREACHABLE, List.of("connection refused", "no such host", "i/o timeout", "dial tcp",
					"send request failed", "connection reset", "eof", "timeout", "tls: "));

	private static final List<ReplicaFailure> ORDER = List.of(ReplicaFailure.MISSING_BUCKET,
			ReplicaFailure.BAD_CREDENTIALS, ReplicaFailure.UNREACHABLE);

	private LitestreamFailureClassifier() {
	}

	/**
	 * Classify litestream's output.
	 * @param output the output
	 * @return the failure kind
	 */
	static ReplicaFailure classify(String output) {
		String text = output.toLowerCase(Locale.ROOT);
		for (ReplicaFailure failure : ORDER) {
			if (MARKERS.get(failure).stream().anyMatch(text::contains)) {
				return failure;
			}
		}
		return PANIC.stream().anyMatch(text::contains) ? ReplicaFailure.UNRESTORABLE : ReplicaFailure.OTHER;
	}

	/**
	 * Return what litestream adds to the engine-neutral description of a failure.
	 * @param failure the failure kind
	 * @return a sentence, or an empty string
	 */
	static String explain(ReplicaFailure failure) {
		return (failure == ReplicaFailure.UNRESTORABLE) ? "litestream v0.3.13 panicked: it cannot restore a replica "
				+ "whose newest snapshot is ahead of its WAL files (a known litestream bug); 'litestream restore "
				+ "-generation' restores an earlier generation by hand. " : "";
	}

	/**
	 * Return the last lines of litestream's output, joined on one line.
	 * @param output the output
	 * @return at most six lines
	 */
	static String lastLines(String output) {
		List<String> lines = output.strip().lines().toList();
		return String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
	}

}
