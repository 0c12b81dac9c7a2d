package io.github.s3lite.internal.nativeengine.wal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed prefix of WAL files written by real SQLite (sqlite-jdbc, automatic checkpoints off,
 * a connection held open so that the WAL stays).
 */
class WalReaderTests {

	private static final int PAGE_SIZE = 4096;

	private static final int FRAME = WalFrame.HEADER_SIZE + PAGE_SIZE;

	@TempDir
	Path dir;

	private Path database;

	private Connection connection;

	@BeforeEach
	void openDatabase() throws SQLException {
		this.database = this.dir.resolve("test.db");
		this.connection = DriverManager.getConnection("jdbc:sqlite:" + this.database);
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("PRAGMA page_size=" + PAGE_SIZE);
			statement.execute("PRAGMA journal_mode=WAL");
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
		}
	}

	@AfterEach
	void closeDatabase() throws SQLException {
		this.connection.close();
	}

	@Test
	void everyFrameOfAWalWithOnlyCommittedTransactionsIsInThePrefix() throws Exception {
		insert(1, 10);
		insert(11, 20);
		Path wal = copyWal("copy-wal");
		CommittedWal committed = WalReader.committedPrefix(wal).orElseThrow();
		assertThat(committed.length()).isEqualTo(Files.size(wal));
		assertThat((committed.length() - WalHeader.SIZE) % FRAME).isZero();
		assertThat(committed.commits()).isEqualTo(3);
		assertThat(committed.header().pageSize()).isEqualTo(PAGE_SIZE);
		assertThat(committed.header().magic()).isIn(WalHeader.MAGIC_LITTLE_ENDIAN, WalHeader.MAGIC_BIG_ENDIAN);
		assertThat(committed.databasePages()).isEqualTo(pageCount());
	}

	@Test
	void aTornLastFrameEndsThePrefixAtThePreviousCommit() throws Exception {
		insert(1, 10);
		long before = WalReader.committedPrefix(copyWal("before-wal")).orElseThrow().length();
		insert(11, 12);
		Path wal = copyWal("torn-wal");
		long full = Files.size(wal);
		assertThat(full).isGreaterThan(before);
		truncate(wal, full - 100);
		assertThat(WalReader.committedPrefix(wal).orElseThrow().length()).isEqualTo(before);
	}

	@Test
	void aCorruptedPageEndsThePrefixAtThePreviousCommit() throws Exception {
		insert(1, 10);
		long before = WalReader.committedPrefix(copyWal("before-wal")).orElseThrow().length();
		insert(11, 12);
		Path wal = copyWal("corrupt-wal");
		try (RandomAccessFile file = new RandomAccessFile(wal.toFile(), "rw")) {
			file.seek(Files.size(wal) - 10);
			int b = file.read();
			file.seek(Files.size(wal) - 10);
			file.write(b ^ 0xff);
		}
		assertThat(WalReader.committedPrefix(wal).orElseThrow().length()).isEqualTo(before);
	}

	@Test
	void framesOfATransactionWithoutItsCommitFrameAreNotInThePrefix() throws Exception {
		insert(1, 10);
		long before = WalReader.committedPrefix(copyWal("before-wal")).orElseThrow().length();
		insertBig(11, 300);
		Path wal = copyWal("unfinished-wal");
		long full = WalReader.committedPrefix(wal).orElseThrow().length();
		assertThat((full - before) / FRAME).as("frames of the big transaction").isGreaterThan(3);
		truncate(wal, full - FRAME);
		assertThat(WalReader.committedPrefix(wal).orElseThrow().length()).isEqualTo(before);
	}

	@Test
	void framesLeftFromBeforeAWalRestartAreNotInThePrefix() throws Exception {
		insertBig(1, 300);
		Path oldLife = copyWal("old-wal");
		WalHeader oldHeader = WalReader.committedPrefix(oldLife).orElseThrow().header();
		checkpoint("RESTART");
		insert(301, 302);
		Path wal = copyWal("restarted-wal");
		CommittedWal committed = WalReader.committedPrefix(wal).orElseThrow();
		assertThat(committed.header().sameLife(oldHeader)).isFalse();
		assertThat(committed.header().salt1()).isEqualTo(oldHeader.salt1() + 1);
		assertThat(Files.size(wal)).as("the restarted WAL reuses the file").isGreaterThan(committed.length());
		assertThat(committed.commits()).isEqualTo(1);
		ByteBuffer next = ByteBuffer.wrap(Files.readAllBytes(wal), (int) committed.length(), WalFrame.HEADER_SIZE);
		assertThat(next.getInt((int) committed.length() + 8)).as("next frame carries the old salt")
			.isEqualTo(oldHeader.salt1());
	}

	@Test
	void aScanCanResumeFromAKnownFrameBoundaryAndChecksum() throws Exception {
		insert(1, 10);
		Path first = copyWal("first-wal");
		CommittedWal before = WalReader.committedPrefix(first).orElseThrow();
		insert(11, 20);
		Path wal = copyWal("second-wal");
		try (var channel = java.nio.channels.FileChannel.open(wal)) {
			CommittedWal resumed = WalReader.committedPrefix(channel, before.header(), before.length(),
					before.checksum());
			assertThat(resumed.length()).isEqualTo(Files.size(wal));
			assertThat(resumed.checksum()).isEqualTo(WalReader.committedPrefix(wal).orElseThrow().checksum());
			assertThat(resumed.commits()).isEqualTo(1);
		}
	}

	@Test
	void aWalRechecksummedBigEndianIsReadByUsAndBySqliteAlike() throws Exception {
		insert(1, 10);
		insert(11, 20);
		// no checkpoint ran: the database file holds none of the rows, the WAL holds them all
		Path copy = Files.copy(this.database, this.dir.resolve("be.db"));
		Path wal = this.dir.resolve("be.db-wal");
		Files.write(wal, bigEndianWal());
		CommittedWal committed = WalReader.committedPrefix(wal).orElseThrow();
		assertThat(committed.header().magic()).isEqualTo(WalHeader.MAGIC_BIG_ENDIAN);
		assertThat(committed.commits()).isEqualTo(3);
		try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + copy);
				Statement statement = reader.createStatement();
				ResultSet rows = statement.executeQuery("SELECT count(*) FROM t")) {
			rows.next();
			assertThat(rows.getInt(1)).as("SQLite replays the big-endian WAL").isEqualTo(20);
		}
	}

	@Test
	void aScanOverManyReadsFindsTheSamePrefixWhateverTheReadSize() throws Exception {
		for (int id = 1; id <= 150; id++) {
			insert(id, id);
		}
		insertBig(151, 400);
		Path wal = copyWal("many-wal");
		long full = Files.size(wal);
		truncate(wal, full - FRAME / 2);
		CommittedWal whole = WalReader.committedPrefix(wal).orElseThrow();
		assertThat((whole.length() - WalHeader.SIZE) / FRAME).as("frames, more than one read holds")
			.isGreaterThan(WalReader.CHUNK_BYTES / FRAME);
		assertThat(whole.commits()).isEqualTo(151);
		try (var channel = java.nio.channels.FileChannel.open(wal)) {
			for (int frames : new int[] { 1, 2, 7, 64, 1000 }) {
				ByteBuffer scratch = ByteBuffer.allocate(frames * FRAME + 3).order(ByteOrder.LITTLE_ENDIAN);
				CommittedWal scanned = WalReader.committedPrefix(channel, whole.header(), WalHeader.SIZE,
						whole.header().checksum(), scratch);
				assertThat(scanned).as("read %d frames at a time", frames).isEqualTo(whole);
			}
		}
	}

	@Test
	void theChecksumOfAnArrayRangeIsTheChecksumOfTheSameBytesInABuffer() {
		byte[] bytes = new byte[4096 + 16];
		new java.util.Random(42).nextBytes(bytes);
		for (ByteOrder order : new ByteOrder[] { ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN }) {
			WalChecksum seed = new WalChecksum(0x12345678, 0x9abcdef0);
			assertThat(seed.update(bytes, 8, 4096, order))
				.isEqualTo(seed.update(ByteBuffer.wrap(bytes, 8, 4096), order));
		}
	}

	@Test
	void aMissingOrEmptyWalHasNoPrefix() throws Exception {
		assertThat(WalReader.committedPrefix(this.dir.resolve("none-wal"))).isEmpty();
		Path empty = Files.createFile(this.dir.resolve("empty-wal"));
		assertThat(WalReader.committedPrefix(empty)).isEmpty();
	}

	/** A WAL with the same content as ours whose magic and checksums are big-endian. */
	private byte[] bigEndianWal() throws Exception {
		Path source = copyWal("le-wal");
		CommittedWal committed = WalReader.committedPrefix(source).orElseThrow();
		ByteBuffer wal = ByteBuffer.wrap(Files.readAllBytes(source), 0, (int) committed.length()).slice();
		wal.putInt(0, WalHeader.MAGIC_BIG_ENDIAN);
		WalChecksum checksum = WalChecksum.ZERO.update(wal.duplicate().position(0).limit(24), ByteOrder.BIG_ENDIAN);
		wal.putInt(24, checksum.s1()).putInt(28, checksum.s2());
		for (int offset = WalHeader.SIZE; offset < wal.limit(); offset += FRAME) {
			checksum = checksum.update(wal.duplicate().position(offset).limit(offset + 8), ByteOrder.BIG_ENDIAN)
				.update(wal.duplicate().position(offset + WalFrame.HEADER_SIZE).limit(offset + FRAME),
						ByteOrder.BIG_ENDIAN);
			wal.putInt(offset + 16, checksum.s1()).putInt(offset + 20, checksum.s2());
		}
		byte[] bytes = new byte[wal.limit()];
		wal.get(0, bytes);
		return bytes;
	}

	private void insert(int from, int to) throws SQLException {
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("BEGIN");
			for (int id = from; id <= to; id++) {
				statement.execute("INSERT INTO t VALUES (" + id + ", 'row " + id + "')");
			}
			statement.execute("COMMIT");
		}
	}

	private void insertBig(int from, int to) throws SQLException {
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("BEGIN");
			for (int id = from; id <= to; id++) {
				statement.execute("INSERT INTO t VALUES (" + id + ", hex(randomblob(200)))");
			}
			statement.execute("COMMIT");
		}
	}

	private void checkpoint(String mode) throws SQLException {
		try (Statement statement = this.connection.createStatement();
				ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
			result.next();
			assertThat(result.getInt(1)).as("checkpoint busy").isZero();
		}
	}

	private int pageCount() throws SQLException {
		try (Statement statement = this.connection.createStatement();
				ResultSet result = statement.executeQuery("PRAGMA page_count")) {
			result.next();
			return result.getInt(1);
		}
	}

	private Path copyWal(String name) throws IOException {
		return Files.copy(this.dir.resolve("test.db-wal"), this.dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
	}

	private static void truncate(Path file, long size) throws IOException {
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
			raf.setLength(size);
		}
	}

}
