package io.github.s3lite.internal.replication;

import java.util.Optional;

/**
 * Replication that knows where a restore of its replica ends without listing the replica (whose listing
 * may lag its writes): the key of its own last upload, in the terms of {@code ReplicationEngine#replicaEnd}.
 */
public interface KnownReplicaEnd {

	/**
	 * Return where a restore of the replica ends once the replica lists every upload of this replication.
	 * @return the end, empty when this replication has uploaded nothing
	 */
	Optional<String> knownReplicaEnd();

}
