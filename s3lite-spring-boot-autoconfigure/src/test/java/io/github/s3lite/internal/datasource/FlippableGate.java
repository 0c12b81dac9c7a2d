package io.github.s3lite.internal.datasource;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.s3lite.replication.NotWriterException;

/**
 * A write gate the test flips and whose fencing actions it runs, as the lease does when it fences this
 * instance (the lease itself is tested elsewhere; here the point is what the connections do at that
 * moment, which a real lease cannot be made to reach on demand mid-statement).
 */
final class FlippableGate implements WriteGate {

	private final List<Runnable> whenFenced = new CopyOnWriteArrayList<>();

	private volatile boolean writer = true;

	/** Say no, then run the fencing actions, as the lease does. */
	void fence() {
		this.writer = false;
		this.whenFenced.forEach(Runnable::run);
	}

	/** Say yes again (this instance became the writer again). */
	void promote() {
		this.writer = true;
	}

	@Override
	public boolean isWriter() {
		return this.writer;
	}

	@Override
	public SQLException notWriter(SQLException cause) {
		return new NotWriterException("Not the writer: the lease is held by 'web-2'", "'web-2'", cause);
	}

	@Override
	public void whenFenced(Runnable action) {
		this.whenFenced.add(action);
	}

}
