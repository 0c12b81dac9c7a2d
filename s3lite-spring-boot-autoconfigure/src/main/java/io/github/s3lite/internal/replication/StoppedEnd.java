package io.github.s3lite.internal.replication;

import java.util.Optional;

import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.replication.Replication;

/**
 * What a replication stopped after its final upload knows of where its replica ends, without listing the
 * replica (whose listing may lag its writes).
 *
 * @param knowsItsEnd whether it knows the key of its last upload ({@link KnownReplicaEnd}): then an empty
 * {@code end} means it uploaded nothing
 * @param end the key of its last upload, as {@code ReplicationEngine#replicaEnd} names an end
 * @param committed where it had committed when it stopped ({@link CommittedPosition}, read locally): where
 * the replica ends once its final upload is listed; {@code null} when unknown
 */
public record StoppedEnd(boolean knowsItsEnd, Optional<String> end, ReplicaPosition committed) {

	/** Nothing known: no replication stopped after a final upload, or one was halted. */
	public static final StoppedEnd UNKNOWN = new StoppedEnd(false, Optional.empty(), null);

	static StoppedEnd of(Replication stopped, ReplicaPosition committed) {
		if (stopped instanceof KnownReplicaEnd known) {
			return new StoppedEnd(true, known.knownReplicaEnd(), committed);
		}
		return new StoppedEnd(false, Optional.empty(), committed);
	}

}
