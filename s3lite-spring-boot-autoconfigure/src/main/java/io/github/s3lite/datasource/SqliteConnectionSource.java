package io.github.s3lite.datasource;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

import io.github.s3lite.config.Synchronous;
import io.github.s3lite.config.TxLock;

/**
 * Opens sqlite-jdbc connections with s3lite's per-connection pragmas: {@code busy_timeout},
 * {@code foreign_keys=ON}, {@code journal_mode=WAL}, {@code synchronous}, the transaction lock mode,
 * and {@code wal_autocheckpoint=0} while litestream replicates (litestream owns checkpoints; an
 * application checkpoint would make it re-upload the whole database). Read-only transactions begin
 * deferred whatever the lock mode (see {@link ReadOnlyAwareSqliteConnection}).
 */
public class SqliteConnectionSource extends SQLiteDataSource {

	private final Path database;

	private final boolean replicating;

	/**
	 * Create a connection source.
	 * @param database the database file
	 * @param synchronous the synchronous pragma
	 * @param txLock the transaction lock mode
	 * @param busyTimeout the busy timeout
	 * @param replicating whether litestream replicates the database
	 */
	public SqliteConnectionSource(Path database, Synchronous synchronous, TxLock txLock, Duration busyTimeout,
			boolean replicating) {
		super(config(synchronous, txLock, busyTimeout));
		this.database = database;
		this.replicating = replicating;
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
		SQLiteConnection connection = new ReadOnlyAwareSqliteConnection(getUrl(), this.database.toString(),
				getConfig().toProperties());
		if (this.replicating) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("PRAGMA wal_autocheckpoint=0");
			}
			catch (SQLException ex) {
				connection.close();
				throw ex;
			}
		}
		return connection;
	}

	/**
	 * Return whether connections are opened for a replicated database.
	 * @return whether {@code wal_autocheckpoint=0} is applied
	 */
	public boolean isReplicating() {
		return this.replicating;
	}

}
