package io.github.s3lite.autoconfigure.diagnostics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.s3lite.testapp.MinimalS3liteApplication;
import io.github.s3lite.autoconfigure.S3liteAutoConfiguration;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Common mistakes end in Spring Boot's "APPLICATION FAILED TO START" report with a Description and an
 * Action written by s3lite's failure analyzers. Each case starts a real application that fails and
 * reads the report the user sees; the S3 cases use a real S3 API (S3Proxy on 127.0.0.1) and the real
 * litestream binary.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureAnalysisTests {

	private static final String BUCKET = "s3lite-diagnostics";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	private CapturedOutput output;

	@BeforeEach
	void captureOutput(CapturedOutput output) {
		this.output = output;
	}

	private Path database() {
		return this.dir.resolve("data/app.sqlite3");
	}

	private Report startWith(String... properties) {
		List<String> all = new ArrayList<>();
		all.add("s3lite.path=" + database());
		all.addAll(Arrays.asList(properties));
		return startWithExactly(all.toArray(String[]::new));
	}

	private Report startWithS3(String endpoint, String secret, String... properties) {
		List<String> all = new ArrayList<>(List.of("s3lite.s3.endpoint=" + endpoint,
				"s3lite.s3.access-key-id=" + S3ProxyServer.ACCESS_KEY, "s3lite.s3.secret-access-key=" + secret));
		all.addAll(Arrays.asList(properties));
		return startWith(all.toArray(String[]::new));
	}

	private Report startWithExactly(String... properties) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(MinimalS3liteApplication.class)
			.web(WebApplicationType.NONE)
			.properties(properties)
			.run()
			.close());
		return new Report(this.output.toString());
	}

	@Test
	void aMissingPathIsReportedWithTheFix() {
		startWithExactly("s3lite.backup-to=file:" + this.dir.resolve("replica"))
			.describes("s3lite cannot use the property 's3lite.path'", "it is not set")
			.advises("Set s3lite.path to the local SQLite file");
	}

	@Test
	void anUnsupportedReplicaSchemeIsReportedWithTheValidForms() {
		startWith("s3lite.backup-to=gs://bucket/db")
			.describes("'s3lite.backup-to'", "Value: gs://bucket/db", "unsupported scheme 'gs'")
			.advises("s3://bucket/prefix");
	}

	@Test
	void aBadBucketNameInTheReplicaUrlIsReported() {
		startWith("s3lite.restore-from=s3://Bad_Bucket/db")
			.describes("'s3lite.restore-from'", "not a valid bucket name")
			.advises("lowercase letters");
	}

	@Test
	void anInvalidPragmaChoiceIsReportedWithTheValidValues() {
		startWith("s3lite.synchronous=sometimes").describes("s3lite.synchronous", "sometimes")
			.mentions("OFF", "NORMAL", "FULL", "EXTRA");
	}

	@Test
	void aSpringDatasourceUrlPointingElsewhereIsReported() {
		startWith("spring.datasource.url=jdbc:sqlite:" + this.dir.resolve("other.sqlite3"))
			.describes("'spring.datasource.url'", "would ignore this URL")
			.advises("Remove spring.datasource.url");
	}

	@Test
	void aMissingBucketIsReportedAndTheUserIsToldToCreateIt() {
		String replica = "s3://no-such-bucket/db";
		startWithS3(s3.endpoint(), S3ProxyServer.SECRET_KEY, "s3lite.restore-from=" + replica,
				"s3lite.backup-to=" + replica)
			.describes("bucket 'no-such-bucket' does not exist")
			.advises("Create the bucket")
			.doesNotMention(S3ProxyServer.SECRET_KEY);
	}

	@Test
	void rejectedCredentialsAreReportedWithoutTheSecret() {
		String replica = "s3://" + BUCKET + "/db";
		startWithS3(s3.endpoint(), "wrong-secret-value", "s3lite.restore-from=" + replica,
				"s3lite.backup-to=" + replica)
			.describes("rejected the credentials")
			.advises("s3lite.s3.access-key-id", "AWS default credential chain")
			.doesNotMention("wrong-secret-value");
	}

	@Test
	void anUnreachableEndpointIsReported() throws IOException {
		String replica = "s3://" + BUCKET + "/db";
		startWithS3("http://127.0.0.1:" + unusedLoopbackPort(), S3ProxyServer.SECRET_KEY,
				"s3lite.restore-from=" + replica)
			.describes("could not be reached")
			.advises("Check s3lite.s3.endpoint")
			.doesNotMention(S3ProxyServer.SECRET_KEY);
	}

	@Test
	void aLitestreamBinaryThatDoesNotExistIsReported() {
		Path missing = this.dir.resolve("bin/litestream");
		startWith("s3lite.litestream.binary=" + missing, fileReplica()).describes("does not exist", missing.toString())
			.advises("Set s3lite.litestream.binary to an executable litestream v0.3.x");
	}

	@Test
	void aLitestreamBinaryThatIsNotExecutableIsReported() throws IOException {
		Path binary = Files.writeString(Files.createDirectories(this.dir.resolve("bin")).resolve("litestream"),
				"not executable");
		startWith("s3lite.litestream.binary=" + binary, fileReplica()).describes("is not executable", "chmod +x")
			.advises("Set s3lite.litestream.binary");
	}

	@Test
	void aLitestreamBinaryForAnotherPlatformIsReported() throws IOException {
		// Bytes no kernel can execute: what a binary built for another platform looks like here.
		Path binary = Files.write(Files.createDirectories(this.dir.resolve("bin")).resolve("litestream"),
				new byte[] { (byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 2 });
		assertThat(binary.toFile().setExecutable(true)).isTrue();
		startWith("s3lite.litestream.binary=" + binary, fileReplica()).describes("s3lite could not run litestream", binary.toString())
			.advises("built for " + System.getProperty("os.name"));
	}

	@Test
	void aFileThatIsNotAnSqliteDatabaseIsReported() throws IOException {
		Files.createDirectories(database().getParent());
		Files.writeString(database(), "this is not a database, just some text long enough to have a header page");
		startWith().describes("Cannot open s3lite.path", "as an SQLite database").advises("Move the file away");
		assertThat(Files.readString(database())).startsWith("this is not a database");
	}

	@Test
	void aFailingMigrationIsReportedByItsIndex() {
		startWith("s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS a (id INTEGER)",
				"s3lite.migrations[1]=CREATE TABBLE b (id INTEGER)")
			.describes("s3lite.migrations[1] failed", "CREATE TABBLE b")
			.advises("Fix s3lite.migrations[1]", "idempotent");
	}

	@Test
	void aDatabaseDirectoryThatCannotBeCreatedIsReported() throws IOException {
		Path file = Files.writeString(this.dir.resolve("data"), "a file where the directory should be");
		startWith().describes("The directory of s3lite.path (" + file + ") cannot be used")
			.advises("Point s3lite.path at a file in a writable directory");
	}

	private String fileReplica() {
		return "s3lite.backup-to=file:" + this.dir.resolve("replica");
	}

	private static int unusedLoopbackPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * The failure report printed by Spring Boot.
	 */
	private static final class Report {

		private final String output;

		private final String description;

		private final String action;

		Report(String output) {
			this.output = output;
			int report = output.indexOf("APPLICATION FAILED TO START");
			assertThat(report).as("failure report in:%n%s", output).isNotNegative();
			int description = output.indexOf("Description:", report);
			int action = output.indexOf("Action:", description);
			assertThat(description).as("description in:%n%s", output).isNotNegative();
			assertThat(action).as("action in:%n%s", output).isNotNegative();
			this.description = output.substring(description, action);
			this.action = output.substring(action);
		}

		Report describes(String... fragments) {
			assertThat(this.description).contains(fragments);
			return this;
		}

		Report advises(String... fragments) {
			assertThat(this.action).contains(fragments);
			return this;
		}

		Report mentions(String... fragments) {
			assertThat(this.description + this.action).contains(fragments);
			return this;
		}

		Report doesNotMention(String text) {
			assertThat(this.output).doesNotContain(text);
			return this;
		}

	}

}
