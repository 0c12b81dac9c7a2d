package io.github.s3lite.reliability;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.testapp.MinimalS3liteApplication;
import io.github.s3lite.autoconfigure.S3liteAutoConfiguration;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.lease.LeaseRecord;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Hostile input, one case per row: each invalid configuration or broken environment fails startup
 * with a message that names the cause and the fix, and leaves the local database and the replica
 * exactly as they were (file hashes and the replica's objects and their hashes compared before and
 * after). Each case starts a real application and reads what the user sees: the failure analysis
 * Spring Boot prints, or else the most specific s3lite message in the exception chain. The table
 * case to message is printed at the end. Every row runs against both engines
 * ({@code s3lite.engine=litestream|native}) except the rows in {@link #ONLY_FOR}, which name why.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadInputMatrixTests {

	private static final String BUCKET = "matrix";

	private static final String REPLICA = "s3://" + BUCKET + "/db";

	private static final Map<String, String> TABLE = new LinkedHashMap<>();

	private static final List<String> ENGINES = List.of("litestream", "native");

	/** Rows that apply to one engine only: the engine, and why. */
	private static final Map<String, List<String>> ONLY_FOR = Map.of(
			// the native engine never resolves or runs a litestream binary
			"litestream binary missing", List.of("litestream", "the native engine runs no binary"),
			"litestream binary not executable", List.of("litestream", "the native engine runs no binary"),
			"binary that is not litestream v0.3", List.of("litestream", "the native engine runs no binary"),
			// the message is the one the litestream binary prints while restoring
			"replica prefix holding garbage (litestream restore)", List.of("litestream", "litestream's own LZ4 error"),
			"litestream restore asked of the native engine", List.of("native", "a contradiction with s3lite.engine=native"),
			"native sync interval of zero", List.of("native", "a native engine setting"),
			"native max-wal-size below 1MB", List.of("native", "a native engine setting"));

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	private static Path validDatabase;

	@TempDir
	Path dir;

	@BeforeAll
	static void prepareReplicaAndDatabase(@TempDir Path shared) throws Exception {
		try (var context = application(List.of("s3lite.path=" + shared.resolve("seed/app.sqlite3"),
				"s3lite.backup-to=" + REPLICA, "s3lite.migrations[0]=CREATE TABLE items (id INTEGER PRIMARY KEY)"))
			.run()) {
			context.getBean(JdbcTemplate.class).update("INSERT INTO items VALUES (1), (2), (3)");
			context.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
		}
		validDatabase = shared.resolve("valid.sqlite3");
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + validDatabase);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)");
			for (int i = 0; i < 200; i++) {
				statement.execute("INSERT INTO items (name) VALUES ('" + "x".repeat(100) + "')");
			}
		}
		s3.putObject(BUCKET, "garbage/generations/0123456789abcdef/snapshots/00000000.snapshot.lz4",
				"not an lz4 frame".getBytes(StandardCharsets.UTF_8));
		s3.putObject(BUCKET, "garbage/generations/0123456789abcdef/wal/00000000_00000000.wal.lz4",
				"nor is this".getBytes(StandardCharsets.UTF_8));
	}

	@AfterAll
	static void printTable() {
		StringBuilder table = new StringBuilder("BAD-INPUT MATRIX (" + TABLE.size() + " cases)\n");
		TABLE.forEach((name, message) -> table.append("| ").append(name).append(" | ").append(message).append(" |\n"));
		System.out.println(table);
	}

	static Stream<Arguments> cases() throws IOException {
		return rows().flatMap((row) -> ENGINES.stream()
			.filter((engine) -> !ONLY_FOR.containsKey(row.name()) || ONLY_FOR.get(row.name()).get(0).equals(engine))
			.map((engine) -> Arguments.of(engine, row)));
	}

	static Stream<Case> rows() throws IOException {
		List<Case> cases = new ArrayList<>();
		cases.add(new Case("backup-to with an unsupported scheme", List.of("s3lite.backup-to=gs://bucket/db"),
				Local.NONE, "s3lite.backup-to", "unsupported scheme 'gs'", "s3://bucket/prefix"));
		cases.add(new Case("restore-from without a scheme", List.of("s3lite.restore-from=my-bucket/db"), Local.NONE,
				"s3lite.restore-from", "missing scheme", "s3://bucket/prefix"));
		cases.add(new Case("invalid bucket name", List.of("s3lite.backup-to=s3://Bad_Bucket/db"), Local.NONE,
				"s3lite.backup-to", "not a valid bucket name"));
		cases.add(new Case("s3 URL without a bucket", List.of("s3lite.backup-to=s3:///db"), Local.NONE,
				"s3lite.backup-to", "bucket name is missing", "s3://bucket/prefix"));
		cases.add(new Case("file replica without a directory", List.of("s3lite.backup-to=file:"), Local.NONE,
				"s3lite.backup-to", "directory is missing", "file:"));
		cases.add(new Case("unknown synchronous value", List.of("s3lite.synchronous=sometimes"), Local.NONE,
				"s3lite.synchronous", "sometimes", "NORMAL", "FULL"));
		cases.add(new Case("unknown tx-lock value", List.of("s3lite.tx-lock=eager"), Local.NONE, "s3lite.tx-lock",
				"eager", "IMMEDIATE", "DEFERRED"));
		cases.add(new Case("unparsable duration", List.of("s3lite.litestream.sync-interval=often"), Local.NONE,
				"s3lite.litestream.sync-interval", "often"));
		cases.add(new Case("zero sync interval", List.of("s3lite.litestream.sync-interval=0s"), Local.NONE,
				"s3lite.litestream.sync-interval", "positive duration", "1s"));
		cases.add(new Case("negative shutdown timeout", List.of("s3lite.litestream.shutdown-timeout=-1s"), Local.NONE,
				"s3lite.litestream.shutdown-timeout", "must not be negative"));
		cases.add(new Case("negative busy timeout", List.of("s3lite.busy-timeout=-5s"), Local.NONE,
				"s3lite.busy-timeout", "must not be negative"));
		cases.add(new Case("min checkpoint page count of zero", List.of("s3lite.litestream.min-checkpoint-page-count=0"),
				Local.NONE, "s3lite.litestream.min-checkpoint-page-count", "at least 1", "1000"));
		cases.add(new Case("max checkpoint page count below the min",
				List.of("s3lite.litestream.max-checkpoint-page-count=10"), Local.NONE,
				"s3lite.litestream.max-checkpoint-page-count", "Use 0"));
		cases.add(new Case("access key without a secret key",
				List.of("s3lite.s3.access-key-id=AKIAEXAMPLE", "s3lite.s3.secret-access-key="), Local.NONE,
				"s3lite.s3.secret-access-key", "Set both"));
		cases.add(new Case("endpoint without a scheme", List.of("s3lite.s3.endpoint=minio:9000"), Local.NONE,
				"s3lite.s3.endpoint", "http(s) URL"));
		cases.add(new Case("blank migration", List.of("s3lite.migrations[0]=CREATE TABLE a (id INTEGER)",
				"s3lite.migrations[1]= "), Local.NONE, "s3lite.migrations[1]", "empty"));
		cases.add(new Case("spring.datasource.url for another database",
				List.of("spring.datasource.url=jdbc:sqlite:/tmp/other.db"), Local.NONE, "spring.datasource.url",
				"Remove spring.datasource.url"));
		cases.add(new Case("path is a directory", List.of(), Local.DIRECTORY, "s3lite.path", "is a directory",
				"Point s3lite.path at a file"));
		cases.add(new Case("directory of the path cannot be created", List.of(), Local.PARENT_IS_A_FILE,
				"s3lite.path", "Cannot create the directory", "writable location"));
		cases.add(new Case("missing bucket", List.of("s3lite.restore-from=s3://no-such-bucket/db",
				"s3lite.backup-to=s3://no-such-bucket/db"), Local.NONE, "s3lite.restore-from",
				"bucket 'no-such-bucket' does not exist", "Create it"));
		cases.add(new Case("missing backup bucket with a local database", List.of("s3lite.backup-to=s3://no-such-bucket/db"),
				Local.VALID, "s3lite.backup-to", "bucket 'no-such-bucket' does not exist", "Create it"));
		cases.add(new Case("wrong secret key", List.of("s3lite.s3.secret-access-key=wrong-secret-value"), Local.NONE,
				"rejected the credentials", "s3lite.s3.secret-access-key"));
		cases.add(new Case("wrong access key with a local database", List.of("s3lite.s3.access-key-id=AKIAWRONG"),
				Local.VALID, "rejected the credentials", "s3lite.s3.access-key-id"));
		cases.add(new Case("unreachable endpoint", List.of("s3lite.s3.endpoint=http://127.0.0.1:" + closedPort()),
				Local.NONE, "could not be reached", "s3lite.s3.endpoint"));
		cases.add(new Case("corrupt local database", List.of(), Local.CORRUPT, "s3lite.path", "malformed",
				"move it away"));
		cases.add(new Case("local file that is not SQLite", List.of(), Local.NOT_SQLITE, "s3lite.path",
				"not a database", "move it away"));
		// both engines restore natively by default; s3lite.litestream.native-restore=false runs the binary
		cases.add(new Case("replica prefix holding garbage", List.of("s3lite.restore-from=s3://" + BUCKET + "/garbage",
				"s3lite.backup-to="), Local.NONE, "s3lite.restore-from", "another prefix"));
		cases.add(new Case("replica prefix holding garbage (litestream restore)",
				List.of("s3lite.restore-from=s3://" + BUCKET + "/garbage", "s3lite.backup-to=",
						"s3lite.litestream.native-restore=false"),
				Local.NONE, "s3lite.restore-from", "lz4: bad magic number", "another prefix"));
		cases.add(new Case("litestream restore asked of the native engine",
				List.of("s3lite.litestream.native-restore=false"), Local.NONE, "s3lite.litestream.native-restore",
				"s3lite.engine=litestream"));
		cases.add(new Case("native sync interval of zero", List.of("s3lite.native-engine.sync-interval=0s"),
				Local.NONE, "s3lite.native-engine.sync-interval", "positive duration"));
		cases.add(new Case("native max-wal-size below 1MB", List.of("s3lite.native-engine.max-wal-size=64KB"),
				Local.NONE, "s3lite.native-engine.max-wal-size", "at least 1MB"));
		cases.add(new Case("litestream binary missing", List.of("s3lite.litestream.binary=/nonexistent/litestream"),
				Local.NONE, "s3lite.litestream.binary", "/nonexistent/litestream"));
		cases.add(new Case("litestream binary not executable", List.of(), Local.NOT_EXECUTABLE_BINARY,
				"s3lite.litestream.binary", "executable"));
		cases.add(new Case("binary that is not litestream v0.3", List.of(), Local.WRONG_BINARY, "v0.3"));
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("cases")
	void invalidInputFailsStartupNamingCauseAndFixAndChangesNothing(String engine, Case input, CapturedOutput output)
			throws Exception {
		Path database = this.dir.resolve("data/app.sqlite3");
		List<String> properties = new ArrayList<>(List.of("s3lite.engine=" + engine, "s3lite.path=" + database,
				"s3lite.restore-from=" + REPLICA,
				"s3lite.backup-to=" + REPLICA, "s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY)"));
		properties.addAll(input.local().prepare(this.dir, database));
		properties.addAll(input.properties());
		Map<String, String> localBefore = fileHashes(this.dir);
		Map<String, String> replicaBefore = replicaData();

		Throwable failure = catchThrowable(() -> application(properties).run().close());

		assertThat(failure).as("startup fails").isNotNull();
		String message = userMessage(failure, output.toString());
		TABLE.put(engine + ": " + input.name(), message);
		assertThat(message).contains(input.fragments());
		assertThat(message).doesNotContain(S3ProxyServer.SECRET_KEY);
		assertThat(output).as("no follower line before a fatal start-up error").doesNotContain("Starting as a follower");
		assertThat(fileHashes(this.dir)).as("local files unchanged").isEqualTo(localBefore);
		assertThat(replicaData()).as("replica unchanged").isEqualTo(replicaBefore);
		byte[] lease = s3.getObject(BUCKET, "db/lock.json");
		assertThat(lease == null || LeaseRecord.parse(lease).isExpiredAt(Instant.now()))
			.as("no live lease left behind (a release leaves lock.json expired)")
			.isTrue();
	}

	/** The replica's objects but the lease, which a start that failed took and released. */
	private static Map<String, String> replicaData() {
		Map<String, String> objects = new TreeMap<>(s3.objectHashes(BUCKET, ""));
		objects.remove("db/lock.json");
		return objects;
	}

	private static SpringApplicationBuilder application(List<String> properties) {
		List<String> all = new ArrayList<>(List.of("s3lite.s3.endpoint=" + s3.endpoint(),
				"s3lite.s3.access-key-id=" + S3ProxyServer.ACCESS_KEY,
				"s3lite.s3.secret-access-key=" + S3ProxyServer.SECRET_KEY));
		all.addAll(properties);
		return new SpringApplicationBuilder(MinimalS3liteApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties(all.toArray(String[]::new));
	}

	/**
	 * What the user sees: Spring Boot's failure analysis if it printed one, else the most specific
	 * s3lite message of the exception chain.
	 */
	private static String userMessage(Throwable failure, String output) {
		int description = output.lastIndexOf("Description:");
		if (description >= 0) {
			return output.substring(description).replaceAll("\\s+", " ").strip();
		}
		String message = null;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause.getClass().getName().startsWith("io.github.s3lite") && cause.getMessage() != null) {
				message = cause.getMessage();
			}
		}
		return (message != null) ? message : failure.toString();
	}

	/**
	 * Hash every local file but s3lite's lock file ({@code .<file>.s3lite-lock}), which holds no data:
	 * it names the instance that last held the lock and is taken before the replica is read.
	 */
	private static Map<String, String> fileHashes(Path directory) throws Exception {
		Map<String, String> hashes = new TreeMap<>();
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.filter(Files::isRegularFile)
				.filter((file) -> !file.getFileName().toString().endsWith(".s3lite-lock"))
				.toList()) {
				hashes.put(directory.relativize(file).toString(),
						HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
			}
		}
		return hashes;
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * One row of the matrix.
	 *
	 * @param name what is wrong
	 * @param properties the properties that make it wrong
	 * @param local the local state the case starts from
	 * @param fragments what the message must contain: the cause and the fix
	 */
	record Case(String name, List<String> properties, Local local, String... fragments) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * The local state a case starts from; returns extra properties it needs.
	 */
	enum Local {

		NONE, VALID, DIRECTORY, PARENT_IS_A_FILE, CORRUPT, NOT_SQLITE, NOT_EXECUTABLE_BINARY, WRONG_BINARY;

		List<String> prepare(Path dir, Path database) throws IOException {
			switch (this) {
				case VALID -> copyValid(database);
				case DIRECTORY -> Files.createDirectories(database);
				case PARENT_IS_A_FILE -> {
					Files.writeString(dir.resolve("data"), "a file where the directory should be");
					return List.of();
				}
				case CORRUPT -> {
					copyValid(database);
					try (RandomAccessFile file = new RandomAccessFile(database.toFile(), "rw")) {
						file.seek(100);
						file.write("garbage over the schema page".repeat(100).getBytes(StandardCharsets.UTF_8));
					}
				}
				case NOT_SQLITE -> {
					Files.createDirectories(database.getParent());
					Files.writeString(database, "name,email\nada,ada@example.com\n");
				}
				case NOT_EXECUTABLE_BINARY -> {
					Path binary = dir.resolve("bin/litestream");
					Files.createDirectories(binary.getParent());
					Files.writeString(binary, "#!/bin/sh\necho v0.3.13\n");
					Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rw-------"));
					return List.of("s3lite.litestream.binary=" + binary);
				}
				case WRONG_BINARY -> {
					Path binary = dir.resolve("bin/litestream");
					Files.createDirectories(binary.getParent());
					Files.writeString(binary, "#!/bin/sh\necho v0.5.2\n");
					Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwx------"));
					return List.of("s3lite.litestream.binary=" + binary);
				}
				default -> {
				}
			}
			return List.of();
		}

		private static void copyValid(Path database) throws IOException {
			Files.createDirectories(database.getParent());
			Files.copy(validDatabase, database);
		}

	}

}
