package io.github.s3lite.internal.datasource;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ConcurrentHashMap;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

import io.github.s3lite.config.Synchronous;
import io.github.s3lite.config.TxLock;
import io.github.s3lite.replication.DatabaseReplacedException;

/**
 * Opens sqlite-jdbc connections with s3lite's per-connection pragmas: {@code busy_timeout},
 * {@code foreign_keys=ON}, {@code journal_mode=WAL}, {@code synchronous}, the transaction lock mode,
 * and the statements the replication engine needs on every connection (for litestream,
 * {@code wal_autocheckpoint=0}: it owns checkpoints). Read-only transactions begin deferred whatever the
 * lock mode, and writes stop while the {@link WriteGate} says this instance is not the writer (see
 * {@link ReadOnlyAwareSqliteConnection}): when the gate fences this instance
 * ({@link WriteGate#whenFenced(Runnable)}), statements and commits still running finish or are
 * interrupted before the fence completes, and no commit happens after it ({@link WriteFence}).
 */
public class SqliteConnectionSource extends SQLiteDataSource {

	private final Path database;

	private volatile Path current;

	private volatile FollowerRefresh follower;

	private final List<String> engineStatements;

	private final WriteGate writeGate;

	private final DurableCommits durableCommits;

	private final WriteFence fence = new WriteFence();

	private final Map<SQLiteConnection, Path> opened = new ConcurrentHashMap<>();

	private volatile boolean blocked;

	/**
	 * Create a connection source.
	 * @param database the database file
	 * @param synchronous the synchronous pragma
	 * @param txLock the transaction lock mode
	 * @param busyTimeout the busy timeout
	 * @param engineStatements the statements the replication engine needs on every connection, empty when
	 * the database is not replicated
	 */
	public SqliteConnectionSource(Path database, Synchronous synchronous, TxLock txLock, Duration busyTimeout,
			List<String> engineStatements) {
		this(database, synchronous, txLock, busyTimeout, engineStatements, WriteGate.ALWAYS_WRITER);
	}

	/**
	 * Create a connection source whose connections refuse writes once a gate says this instance is not
	 * the writer (see {@link ReadOnlyAwareSqliteConnection}).
	 * @param database the database file
	 * @param synchronous the synchronous pragma
	 * @param txLock the transaction lock mode
	 * @param busyTimeout the busy timeout
	 * @param engineStatements the statements the replication engine needs on every connection, empty when
	 * the database is not replicated
	 * @param writeGate decides whether writes are allowed
	 */
	public SqliteConnectionSource(Path database, Synchronous synchronous, TxLock txLock, Duration busyTimeout,
			List<String> engineStatements, WriteGate writeGate) {
		this(database, synchronous, txLock, busyTimeout, engineStatements, writeGate, DurableCommits.OFF);
	}

	/**
	 * Create a connection source whose connections refuse writes once a gate says this instance is not
	 * the writer and whose commits wait for the replica as {@code durableCommits} says.
	 * @param database the database file
	 * @param synchronous the synchronous pragma
	 * @param txLock the transaction lock mode
	 * @param busyTimeout the busy timeout
	 * @param engineStatements the statements the replication engine needs on every connection, empty when
	 * the database is not replicated
	 * @param writeGate decides whether writes are allowed
	 * @param durableCommits whether and how commits wait for the replica
	 */
	public SqliteConnectionSource(Path database, Synchronous synchronous, TxLock txLock, Duration busyTimeout,
			List<String> engineStatements, WriteGate writeGate, DurableCommits durableCommits) {
		super(config(synchronous, txLock, busyTimeout));
		this.database = database;
		this.current = database;
		this.engineStatements = List.copyOf(engineStatements);
		this.writeGate = writeGate;
		this.durableCommits = durableCommits;
		writeGate.whenFenced(this.fence::fence);
		setUrl("jdbc:sqlite:" + database);
	}

	private static SQLiteConfig config(Synchronous synchronous, TxLock txLock, Duration busyTimeout) {
		SQLiteConfig config = new SQLiteConfig();
		config.setBusyTimeout((int) busyTimeout.toMillis());
		config.enforceForeignKeys(true);
		config.setJournalMode(SQLiteConfig.JournalMode.WAL);
		config.setPragma(SQLiteConfig.Pragma.SYNCHRONOUS, synchronous.name());
		config.setTransactionMode(SQLiteConfig.TransactionMode.valueOf(txLock.name().toUpperCase(Locale.ROOT)));
		return config;
	}

	@Override
	public SQLiteConnection getConnection(String username, String password) throws SQLException {
		if (this.blocked) {
			throw new DatabaseReplacedException("The database " + this.database + " is being replaced with the "
					+ "newest state of its replica; try again shortly");
		}
		Path path = this.current;
		SQLiteConnection connection = new ReadOnlyAwareSqliteConnection("jdbc:sqlite:" + path, path.toString(),
				getConfig().toProperties(), this.writeGate, this.fence, this.durableCommits,
				!this.engineStatements.isEmpty());
		this.opened.keySet().removeIf(SqliteConnectionSource::isClosed);
		this.opened.put(connection, path);
		if (!this.engineStatements.isEmpty()) {
			try (Statement statement = connection.createStatement()) {
				for (String sql : this.engineStatements) {
					statement.execute(sql);
				}
			}
			catch (SQLException ex) {
				connection.close();
				throw ex;
			}
		}
		return connection;
	}

	/**
	 * Return how many connections this source opened that are not closed yet (the pool closes evicted
	 * connections on a thread of its own; a file may be replaced only once this is 0).
	 * @return the number of open connections
	 */
	public int openConnections() {
		this.opened.keySet().removeIf(SqliteConnectionSource::isClosed);
		return this.opened.size();
	}

	/**
	 * Return how many connections to one file this source opened that are not closed yet: a follower's
	 * published copy is deleted only once this is 0.
	 * @param file the database file
	 * @return the number of open connections to it
	 */
	public int openConnections(Path file) {
		this.opened.keySet().removeIf(SqliteConnectionSource::isClosed);
		return (int) this.opened.values().stream().filter(file::equals).count();
	}

	/**
	 * Return the file new connections open: {@code s3lite.path}, or the copy a follower published.
	 * @return the file
	 */
	public Path currentDatabase() {
		return this.current;
	}

	/**
	 * Return whether a connection this source opened is to the file new connections open (a connection
	 * to a follower's previous copy is not).
	 * @param connection the connection
	 * @return whether it is current; {@code true} for a connection this source did not open
	 */
	public boolean isCurrent(SQLiteConnection connection) {
		Path path = this.opened.get(connection);
		return path == null || path.equals(this.current);
	}

	/**
	 * Make new connections open a follower's complete copy of the replica instead of the file they open
	 * now, unless the follower stopped following meanwhile (judged under the same lock as
	 * {@link #usePrimary()}, so a promotion that switched back is never undone).
	 * @param copy the copy, complete and never written again
	 * @param stillFollowing whether this instance still follows
	 * @return whether new connections open {@code copy} from now on
	 */
	public synchronized boolean publish(Path copy, BooleanSupplier stillFollowing) {
		if (!stillFollowing.getAsBoolean()) {
			return false;
		}
		this.current = copy;
		return true;
	}

	/**
	 * Make new connections open {@code s3lite.path} again (this instance becomes the writer).
	 */
	public synchronized void usePrimary() {
		this.current = this.database;
	}

	/**
	 * Return the file new connections open when no follower's copy is published, {@code s3lite.path}.
	 * @return the file
	 */
	public Path primaryDatabase() {
		return this.database;
	}

	/**
	 * Set what brings a follower's database up to the replica on demand.
	 * @param refresh the follower's refresh, {@code null} when this instance never follows
	 */
	public void followedBy(FollowerRefresh refresh) {
		this.follower = refresh;
	}

	/**
	 * Return what brings a follower's database up to the replica on demand.
	 * @return the refresh, {@code null} when this instance never follows
	 */
	public FollowerRefresh follower() {
		return this.follower;
	}

	/**
	 * Refuse, or allow again, new connections (while the database file is replaced).
	 * @param blocked whether new connections are refused
	 */
	public void setBlocked(boolean blocked) {
		this.blocked = blocked;
	}

	private static boolean isClosed(SQLiteConnection connection) {
		try {
			return connection.isClosed();
		}
		catch (SQLException ex) {
			return true;
		}
	}

	/**
	 * Return the statements the replication engine needs on every connection.
	 * @return the statements, empty when the database is not replicated
	 */
	public List<String> getEngineStatements() {
		return this.engineStatements;
	}

}
