package io.github.s3lite.internal.replication;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.github.s3lite.replication.DurableCommitStats;
import io.github.s3lite.replication.NotReplicatedException;
import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.replication.SyncListener;

/**
 * The {@link Replication} of an instance whose role can change (the single-writer lease): delegates to
 * the replication running while this instance is the writer, and to "not replicating" while it follows.
 * A follower has nothing to flush, so {@link #sync(Duration)} returns at once; its status is the
 * configured replica, not replicating, with the detail {@code role=follower}. Durable commits
 * ({@link DurableReplication}) go to the active replication; without one (a follower, whose writes the
 * lease refuses anyway) a commit cannot be made durable and is refused.
 */
public final class SwitchableReplication implements Replication, DurableReplication, CommittedPosition {

	private final ReplicationStatus following;

	private final List<SyncListener> listeners = new CopyOnWriteArrayList<>();

	private volatile Replication current;

	private volatile boolean stopped;

	private volatile String haltedBecause;

	private volatile boolean lastSyncFailed;

	private volatile boolean finalUploadUnconfirmed;

	private volatile Supplier<ReplicaPosition> follower;

	private volatile StoppedEnd stoppedEnd = StoppedEnd.UNKNOWN;

	/**
	 * Create the replication.
	 * @param engine the engine's name, for the status
	 * @param replica the replica, for the status
	 * @param running the running replication, or {@code null} for a follower
	 */
	public SwitchableReplication(String engine, String replica, Replication running) {
		this.following = new ReplicationStatus(true, engine, replica, false, null, null, 0, true, null, 0, 0, null, null,
				Map.of("role", "follower"), Map.of());
		this.current = running;
	}

	/**
	 * Return whether replication runs (this instance is the writer).
	 * @return whether a replication is active
	 */
	public boolean isActive() {
		return this.current != null;
	}

	/**
	 * Delegate to a replication that was just started; stops it at once when this one is stopped.
	 * @param running the replication
	 * @return whether it is now the active one
	 */
	public synchronized boolean switchTo(Replication running) {
		if (this.stopped) {
			running.stop();
			return false;
		}
		this.listeners.forEach(running::addSyncListener);
		this.current = running;
		this.haltedBecause = null;
		this.stoppedEnd = StoppedEnd.UNKNOWN;
		return true;
	}

	/**
	 * Stop the active replication after its final upload (a hand-over); replication may start again.
	 */
	public synchronized void stopActive() {
		Replication active = this.current;
		this.current = null;
		this.haltedBecause = null;
		if (active != null) {
			ReplicaPosition committed = committedOf(active);
			active.stop();
			stopped(active, true, committed);
		}
	}

	/**
	 * Return what the replication stopped last after its final upload knows of where its replica ends,
	 * without listing the replica.
	 * @return the end known, {@link StoppedEnd#UNKNOWN} when it was halted or one runs again
	 */
	public StoppedEnd stoppedEnd() {
		return this.stoppedEnd;
	}

	private void stopped(Replication replication, boolean flushed, ReplicaPosition committed) {
		this.stoppedEnd = flushed ? StoppedEnd.of(replication, committed) : StoppedEnd.UNKNOWN;
	}

	private static ReplicaPosition committedOf(Replication replication) {
		try {
			return (replication instanceof CommittedPosition committed) ? committed.committedPosition() : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Let {@link #refresh()} refresh this instance's readers while it follows.
	 * @param refresh the follower's refresh, {@code null} to stop
	 */
	public void followedBy(Supplier<ReplicaPosition> refresh) {
		this.follower = refresh;
	}

	/**
	 * Refresh the follower's readers, when this instance follows and has a follower; otherwise the
	 * position known to be in the replica.
	 */
	@Override
	public ReplicaPosition refresh() {
		Supplier<ReplicaPosition> refresh = this.follower;
		ReplicaPosition reached = (refresh != null) ? refresh.get() : null;
		return (reached != null) ? reached : status().replicatedPosition();
	}

	/**
	 * Flush and stop the active replication (a hand-over, with no connection in use): by its own final
	 * upload when it can prove it ({@link FinalUpload}), otherwise by a {@link #sync(Duration)} and a stop.
	 * Once a final upload was not confirmed, later hand-overs flush by a sync: a replication whose final
	 * uploads keep failing to confirm must not keep every hand-over from happening.
	 * @param timeout the longest the flush may take
	 * @return {@code true} when stopped with every commit in the replica; {@code false} when stopped
	 * without that proof: until replication starts again, {@link #sync(Duration)} fails saying so
	 * @throws io.github.s3lite.replication.ReplicationException when the sync failed; replication runs on
	 */
	public boolean flushAndStopActive(Duration timeout) {
		Replication active = this.current;
		if (active == null) {
			throw new ReplicationException("Replication to " + this.following.replica() + " does not run: nothing "
					+ "proves the replica holds this instance's commits");
		}
		if (!(active instanceof FinalUpload upload) || this.finalUploadUnconfirmed || !upload.provesFinalUpload()) {
			sync(timeout);
			stopActive();
			return true;
		}
		// writes are drained: what is committed now is what the final upload leaves in the replica
		ReplicaPosition committed = committedOf(active);
		// not under this lock, and still the active one: a fence meanwhile halts it (no upload after the fence)
		boolean flushed = upload.stopAfterFinalUpload(timeout);
		synchronized (this) {
			if (this.current == active) {
				this.current = null;
				this.haltedBecause = flushed ? null : "its final upload at a hand-over was not confirmed";
				stopped(active, flushed, committed);
			}
			this.lastSyncFailed = !flushed;
			this.finalUploadUnconfirmed = !flushed;
			return flushed;
		}
	}

	/**
	 * Halt the active replication without a final upload ({@link Replication#halt()}): this instance was
	 * fenced, or its promotion failed. Until replication starts again, {@link #sync(Duration)} fails
	 * naming the reason instead of reporting a flush that did not happen.
	 * @param reason why, e.g. {@code this instance is fenced}
	 */
	public synchronized void haltActive(String reason) {
		Replication active = this.current;
		this.current = null;
		stopped(null, false, null);
		if (active != null) {
			this.haltedBecause = reason;
			active.halt();
		}
	}

	@Override
	public void sync(Duration timeout) {
		Replication active = this.current;
		if (active != null) {
			try {
				active.sync(timeout);
				this.lastSyncFailed = false;
			}
			catch (RuntimeException ex) {
				this.lastSyncFailed = true;
				throw ex;
			}
			return;
		}
		String halted = this.haltedBecause;
		if (halted != null) {
			throw new ReplicationException("Replication to " + this.following.replica() + " is halted (" + halted
					+ "): commits made before it stopped and not uploaded stay in the local database until this "
					+ "instance writes to the replica again");
		}
	}

	/**
	 * Return whether the last {@link #sync(Duration)} of a running replication failed (the replica was
	 * unreachable or behind, for example at the final flush).
	 * @return whether it failed
	 */
	public boolean lastSyncFailed() {
		return this.lastSyncFailed;
	}

	@Override
	public ReplicationStatus status() {
		Replication active = this.current;
		return (active != null) ? active.status() : this.following;
	}

	/**
	 * Return the committed position of the active replication ({@code null} while following): its
	 * {@link CommittedPosition}, else its status's local position.
	 */
	@Override
	public ReplicaPosition committedPosition() {
		Replication active = this.current;
		if (active instanceof CommittedPosition committed) {
			return committed.committedPosition();
		}
		return (active != null) ? active.status().localPosition() : null;
	}

	/**
	 * Stop for good (context shutdown): the active replication stops, and none starts afterwards.
	 */
	@Override
	public synchronized void stop() {
		this.stopped = true;
		stopActive();
	}

	@Override
	public void addSyncListener(SyncListener listener) {
		this.listeners.add(listener);
		Replication active = this.current;
		if (active != null) {
			active.addSyncListener(listener);
		}
	}

	@Override
	public void awaitReplicated(Duration timeout) throws NotReplicatedException {
		durable().awaitReplicated(timeout);
	}

	@Override
	public boolean acceptingWrites() {
		return (this.current instanceof DurableReplication durable) && durable.acceptingWrites();
	}

	@Override
	public NotReplicatedException refuseWrite() {
		return (this.current instanceof DurableReplication durable) ? durable.refuseWrite() : notReplicating(false);
	}

	@Override
	public DurableCommitStats durableCommitStats() {
		return (this.current instanceof DurableReplication durable) ? durable.durableCommitStats()
				: DurableCommitStats.NONE;
	}

	private DurableReplication durable() throws NotReplicatedException {
		if (this.current instanceof DurableReplication durable) {
			return durable;
		}
		throw notReplicating(true);
	}

	private NotReplicatedException notReplicating(boolean committedLocally) {
		return new NotReplicatedException("No replication runs on this instance (it is not the writer), so the "
				+ "commit cannot be made durable", committedLocally, null);
	}

	@Override
	public String toString() {
		return "SwitchableReplication[" + this.current + "]";
	}

}
