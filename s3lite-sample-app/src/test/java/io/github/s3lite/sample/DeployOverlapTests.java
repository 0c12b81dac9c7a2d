package io.github.s3lite.sample;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deploy-overlap scenario of a rolling deploy, with the notes app as separate processes on one S3
 * replica and the single-writer lease: instance A serves; B starts on a fresh disk while A serves and
 * becomes the writer by hand-over; writes go to both throughout; A gets SIGTERM; more writes go to B;
 * B stops; a fresh instance C restores. Every note answered 201 by any instance is in C. Also: a
 * follower takes over by expiry after the writer was SIGKILLed; and read replicas behind a load balancer
 * (s3lite.follower.request-handover=false) refuse writes naming the writer, serve reads that wait for a
 * client's own write, and take over once the writer stops.
 */
class DeployOverlapTests {

	private static final String BUCKET = "overlap";

	private static final Duration HANG_GUARD = Duration.ofSeconds(120);

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void aRollingDeployWithHandOverLosesNoAcknowledgedWrite() throws Exception {
		Writes writes = new Writes();
		try (Instance a = Instance.start(this.dir, "A", "s3://" + BUCKET + "/notes", List.of())) {
			Thread writingToA = writes.start(a, "A");
			try (Instance b = Instance.start(this.dir, "B", "s3://" + BUCKET + "/notes", List.of())) {
				Thread writingToB = writes.start(b, "B");
				await().atMost(HANG_GUARD).until(() -> b.role().equals("writer"));
				await().atMost(HANG_GUARD).until(() -> writes.acknowledgedBy("B") >= 20);
				assertThat(a.role()).isEqualTo("follower");
				a.process().terminate(HANG_GUARD);
				writingToA.join();
				int before = writes.acknowledgedBy("B");
				await().atMost(HANG_GUARD).until(() -> writes.acknowledgedBy("B") >= before + 20);
				writes.stop();
				writingToB.join();
				b.process().terminate(HANG_GUARD);
			}
		}
		try (Instance c = Instance.start(this.dir, "C", "s3://" + BUCKET + "/notes", List.of())) {
			await().atMost(HANG_GUARD).until(() -> c.role().equals("writer"));
			String notes = c.http().get("/api/notes").body();
			List<String> lost = writes.acknowledged().stream().filter((text) -> !notes.contains("\"" + text + "\"")).toList();
			System.out.println("OVERLAP acknowledged=" + writes.acknowledged().size() + " refused=" + writes.refused()
					+ " lost=" + lost.size() + " noWriterWindowMs=" + writes.longestGapMillis());
			assertThat(writes.acknowledgedBy("A")).isPositive();
			assertThat(writes.refused()).as("B refused writes while it followed").isPositive();
			assertThat(lost).isEmpty();
		}
	}

	@Test
	void aFollowerTakesOverByExpiryAfterTheWriterWasKilled() throws Exception {
		String replica = "s3://" + BUCKET + "/killed";
		List<String> ttl = List.of("--s3lite.lease.ttl=10s");
		List<String> synced = new ArrayList<>();
		List<ProcessHandle> orphans;
		try (Instance a = Instance.start(this.dir, "killed-A", replica, ttl)) {
			for (int i = 0; i < 10; i++) {
				assertThat(a.http().post("killed-" + i).statusCode()).isEqualTo(201);
				synced.add("killed-" + i);
			}
			assertThat(a.http().postJson("/actuator/s3lite", "{\"action\":\"sync\"}").body()).contains("SYNCED");
			orphans = a.process().litestream();
			a.process().kill();
		}
		try (Instance b = Instance.start(this.dir, "killed-B", replica, ttl)) {
			await().atMost(HANG_GUARD).until(() -> b.role().equals("writer"));
			assertThat(b.http().get("/actuator/health").body()).as("taken over after expiry, not released")
				.contains("\"generation\":2");
			assertThat(b.http().post("after-expiry").statusCode()).isEqualTo(201);
			String notes = b.http().get("/api/notes").body();
			assertThat(synced).allMatch((text) -> notes.contains("\"" + text + "\""));
		}
		finally {
			orphans.forEach(ProcessHandle::destroyForcibly);
		}
	}

	@Test
	void readReplicasBehindALoadBalancerServeEveryNoteAndSendWritesToTheWriter() throws Exception {
		String replica = "s3://" + BUCKET + "/replicas";
		List<String> readReplica = List.of("--s3lite.follower.request-handover=false");
		try (Instance writer = Instance.start(this.dir, "W", replica, List.of());
				Instance reader = Instance.start(this.dir, "R", replica, readReplica)) {
			assertThat(writer.role()).isEqualTo("writer");
			HttpResponse<String> refused = reader.http().post("to-the-reader");
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.body()).contains("'W'");
			HttpResponse<String> created = writer.http().post("read-your-write");
			assertThat(created.statusCode()).isEqualTo(201);
			String position = created.headers().firstValue("S3lite-Position").orElseThrow();
			// the client carries the writer's position: the follower waits until its readers have it
			HttpResponse<String> read = reader.http().get("/api/notes", "S3lite-Position", position);
			assertThat(read.headers().firstValue("S3lite-Stale")).isEmpty();
			assertThat(read.body()).contains("\"read-your-write\"").doesNotContain("to-the-reader");
			String health = reader.http().get("/actuator/health").body();
			assertThat(health).contains("\"role\":\"follower\"").contains("\"follower\":").contains("\"age\"");
			assertThat(reader.role()).as("a read replica never asks for the lease").isEqualTo("follower");
			writer.process().terminate(HANG_GUARD);
			await().atMost(HANG_GUARD).until(() -> reader.role().equals("writer"));
			assertThat(reader.http().get("/api/notes").body()).contains("\"read-your-write\"");
			assertThat(reader.http().post("after-the-writer-stopped").statusCode()).isEqualTo(201);
		}
	}

	/**
	 * The notes app as a process, with the lease.
	 */
	private record Instance(AppProcess process, NotesHttp http) implements AutoCloseable {

		static Instance start(Path dir, String name, String replica, List<String> extra) {
			int port = NotesHttp.freePort();
			List<String> args = new ArrayList<>(AppProcess.s3Args(dir.resolve(name + "/notes.sqlite3"), s3, replica));
			args.addAll(List.of("--server.port=" + port, "--s3lite.lease.enabled=true", "--s3lite.lease.owner=" + name));
			args.addAll(extra);
			AppProcess process = AppProcess.start(NotesApplication.class,
					Path.of("target", "overlap-logs", name + "-" + System.nanoTime() + ".log"), List.of(), args);
			process.await((line) -> line.contains("Started NotesApplication"), HANG_GUARD);
			return new Instance(process, new NotesHttp(port));
		}

		String role() {
			String health = this.http.get("/actuator/health").body();
			int at = health.indexOf("\"role\":\"");
			return (at < 0) ? "none" : health.substring(at + 8, health.indexOf('"', at + 8));
		}

		@Override
		public void close() {
			this.process.close();
		}

	}

	/**
	 * Writers posting numbered notes to instances until stopped or the instance is gone.
	 */
	private static final class Writes {

		private final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());

		private final ConcurrentLinkedQueue<Long> acknowledgedAt = new ConcurrentLinkedQueue<>();

		private final AtomicInteger refused = new AtomicInteger();

		private final AtomicBoolean stopped = new AtomicBoolean();

		Thread start(Instance instance, String name) {
			Thread thread = new Thread(() -> {
				for (int i = 0; !this.stopped.get(); i++) {
					String text = name + "-" + i;
					HttpResponse<String> response;
					try {
						response = instance.http().post(text);
					}
					catch (UncheckedIOException ex) {
						return;
					}
					if (response.statusCode() == 201) {
						this.acknowledged.add(text);
						this.acknowledgedAt.add(System.nanoTime());
					}
					else if (response.statusCode() == 503) {
						assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
						this.refused.incrementAndGet();
					}
					else {
						throw new AssertionError(name + " answered " + response.statusCode() + ": " + response.body());
					}
					try {
						Thread.sleep(20);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "writes-" + name);
			thread.start();
			return thread;
		}

		void stop() {
			this.stopped.set(true);
		}

		List<String> acknowledged() {
			return List.copyOf(this.acknowledged);
		}

		int acknowledgedBy(String name) {
			return (int) acknowledged().stream().filter((text) -> text.startsWith(name + "-")).count();
		}

		int refused() {
			return this.refused.get();
		}

		long longestGapMillis() {
			List<Long> times = new ArrayList<>(this.acknowledgedAt);
			Collections.sort(times);
			long longest = 0;
			for (int i = 1; i < times.size(); i++) {
				longest = Math.max(longest, times.get(i) - times.get(i - 1));
			}
			return longest / 1_000_000;
		}

	}

}
