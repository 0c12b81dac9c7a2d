package com.example.notes;

import java.time.Duration;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.replication.ReplicaPosition;

class NoteEvents {

	private final ReplicatingDataSource dataSource;

	NoteEvents(ReplicatingDataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** On the writer, after the note's transaction committed: the token to send with the event. */
	String positionOfTheWrite() {
		ReplicaPosition written = this.dataSource.currentPosition();
		return (written != null) ? written.toString() : null;
	}

	/** On a follower, before reading the note: whether its readers see the write (at most 2 s). */
	boolean seesTheWrite(String position) {
		return position == null
				|| this.dataSource.awaitPosition(position, Duration.ofSeconds(2));
	}

}
