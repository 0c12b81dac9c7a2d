package io.github.s3lite.internal.litestream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.internal.replication.WalPosition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local half of continuing a restored generation with litestream: the record a restore leaves is
 * trusted once and only for the unchanged file, and litestream's meta directory is laid out as
 * litestream v0.3.13 expects it (the end-to-end proof, with the real binary and a real S3 API, is
 * {@code EngineParityTests}).
 */
class ContinuedGenerationTests {

	private static final WalPosition RESTORED_AT = new WalPosition("0123456789abcdef", 3, 41_232);

	@TempDir
	Path dir;

	@Test
	void aRestoredPositionIsReturnedOnceWhileTheDatabaseIsUnchanged() throws Exception {
		Path database = database();
		RestoredGeneration.record(database, RESTORED_AT);
		assertThat(RestoredGeneration.consume(database)).contains(RESTORED_AT);
		assertThat(RestoredGeneration.fileOf(database)).doesNotExist();
		assertThat(RestoredGeneration.consume(database)).isEmpty();
	}

	@Test
	void aRestoredFileIsTrustedAsTheSameFileOnlyNotAsACopyOfIt() throws Exception {
		Path database = database();
		RestoredGeneration.record(database, RESTORED_AT);
		Path copy = this.dir.resolve("copy.sqlite3");
		Files.copy(database, copy);
		Files.delete(database);
		Files.move(copy, database);
		assertThat(RestoredGeneration.consume(database)).as("the record of a restore does not read the file")
			.isEmpty();
	}

	@Test
	void aDatabaseChangedSinceItsRestoreIsNotContinued() throws Exception {
		Path database = database();
		RestoredGeneration.record(database, RESTORED_AT);
		execute(database, "INSERT INTO items VALUES (2)");
		assertThat(RestoredGeneration.consume(database)).isEmpty();
		assertThat(RestoredGeneration.fileOf(database)).doesNotExist();
	}

	@Test
	void aDatabaseWithAWalBesideItIsNotContinued() throws Exception {
		Path database = database();
		RestoredGeneration.record(database, RESTORED_AT);
		Files.write(database.resolveSibling("app.sqlite3-wal"), new byte[4096]);
		assertThat(RestoredGeneration.consume(database)).isEmpty();
	}

	@Test
	void anUnreadableRecordIsNotContinued() throws Exception {
		Path database = database();
		Files.writeString(RestoredGeneration.fileOf(database), "generation=xyz\nindex=one\n");
		assertThat(RestoredGeneration.consume(database)).isEmpty();
		assertThat(RestoredGeneration.fileOf(database)).doesNotExist();
	}

	@Test
	void theMetaDirectoryNamesTheGenerationAndShadowsTheNextIndexWithTheWalWhoseConnectionStaysOpen()
			throws Exception {
		Path database = database();
		Optional<Connection> keeper = ContinuedGeneration.prepare(database, RESTORED_AT);
		assertThat(keeper).isPresent();
		try {
			Path meta = LitestreamEngine.metaDirectory(database);
			Path shadow = meta.resolve("generations/0123456789abcdef/wal");
			assertThat(Files.readString(meta.resolve("generation"))).isEqualTo("0123456789abcdef\n");
			assertThat(Files.size(shadow.resolve("00000003.wal"))).as("as long as index 3 in the replica")
				.isEqualTo(41_232);
			byte[] wal = Files.readAllBytes(database.resolveSibling("app.sqlite3-wal"));
			assertThat(wal.length).as("a header and whole frames").isGreaterThan(32);
			assertThat(shadow.resolve("00000004.wal")).hasBinaryContent(wal);
		}
		finally {
			ContinuedGeneration.closeQuietly(keeper.get());
		}
	}

	@Test
	void aFileThatIsNotADatabaseLeavesNoMetaDirectorySoLitestreamStartsANewGeneration() throws Exception {
		Path database = this.dir.resolve("app.sqlite3");
		Files.writeString(database, "not a database, but long enough to be read as one by mistake".repeat(100));
		assertThat(ContinuedGeneration.prepare(database, RESTORED_AT)).isEmpty();
		assertThat(LitestreamEngine.metaDirectory(database)).doesNotExist();
	}

	private Path database() throws Exception {
		Path database = this.dir.resolve("app.sqlite3");
		execute(database, "PRAGMA journal_mode=wal", "CREATE TABLE items (id INTEGER)", "INSERT INTO items VALUES (1)");
		assertThat(database.resolveSibling("app.sqlite3-wal")).as("checkpointed on close").doesNotExist();
		return database;
	}

	private static void execute(Path database, String... statements) throws Exception {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

}
