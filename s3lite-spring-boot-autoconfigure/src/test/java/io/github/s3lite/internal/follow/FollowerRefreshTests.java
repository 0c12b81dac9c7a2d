package io.github.s3lite.internal.follow;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.s3lite.actuate.S3liteEndpoint;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.lease.LeaseRecord;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.verification.ReplicaVerifier;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.test.FaultProxy;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A follower that follows (issue 23): while another instance holds the lease, a follower's readers are
 * brought up to the replica's newest state every {@code s3lite.follower.refresh-interval} and on demand,
 * atomically: a transaction sees the state before a refresh or after it, never between. The writer runs
 * either engine; the follower reads litestream v0.3's replica format natively.
 */
class FollowerRefreshTests {

	private static final String BUCKET = "following";

	private static final Duration GUARD = Duration.ofSeconds(60);

	private static final int ACCOUNTS = 10;

	private static final int BALANCE = 100;

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aFollowerSeesRowsCommittedOnTheWriterWithinOneRefreshIntervalOfTheirUpload(String engine) {
		String prefix = prefix();
		holdLeaseElsewhere(prefix);
		loneWriter(engine, prefix, "writer").run((writer) -> {
			ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), 1, 3);
			writer.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			app(engine, prefix, "follower", "s3lite.follower.refresh-interval=500ms").run((follower) -> {
				assertThat(follower).hasNotFailed();
				assertThat(role(follower).status().role()).isEqualTo("follower");
				JdbcTemplate reads = follower.getBean(JdbcTemplate.class);
				assertThat(count(reads)).isEqualTo(3);
				for (int round = 1; round <= 3; round++) {
					int from = round * 10;
					ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), from, from + 4);
					writer.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
					long uploaded = System.nanoTime();
					int expected = 3 + 5 * round;
					// one refresh interval (500ms) and one full restore of a small replica, with room for a slow CI
					await().atMost(Duration.ofSeconds(5)).until(() -> count(reads) == expected);
					assertThat(Duration.ofNanos(System.nanoTime() - uploaded)).isLessThan(Duration.ofSeconds(5));
				}
				assertThat(ids(reads)).isEqualTo(ids(writer.getBean(JdbcTemplate.class)));
			});
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void readersOnAFollowerNeverSeeAPartialTransactionNorGoBackInTimeWhileItRefreshes(String engine) throws Exception {
		String prefix = prefix();
		holdLeaseElsewhere(prefix);
		loneWriter(engine, prefix, "writer").run((writer) -> {
			TransactionTemplate transactions = writer.getBean(TransactionTemplate.class);
			JdbcTemplate bank = writer.getBean(JdbcTemplate.class);
			transactions.executeWithoutResult((status) -> {
				for (int account = 1; account <= ACCOUNTS; account++) {
					bank.update("INSERT INTO accounts (id, balance) VALUES (?, ?)", account, BALANCE);
				}
			});
			writer.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			app(engine, prefix, "follower", "s3lite.follower.refresh-interval=200ms").run((follower) -> {
				assertThat(follower).hasNotFailed();
				JdbcTemplate reads = follower.getBean(JdbcTemplate.class);
				AtomicBoolean writing = new AtomicBoolean(true);
				ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
				AtomicInteger readsDone = new AtomicInteger();
				ConcurrentLinkedQueue<Integer> seenTransfers = new ConcurrentLinkedQueue<>();
				List<Thread> readers = new java.util.ArrayList<>();
				for (int r = 0; r < 4; r++) {
					Thread reader = new Thread(() -> {
						int lastTransfers = -1;
						while (writing.get()) {
							Map<String, Object> row = reads.queryForMap(
									"SELECT (SELECT sum(balance) FROM accounts) AS total, (SELECT count(*) FROM accounts) AS n, "
											+ "(SELECT count(*) FROM transfers) AS transfers");
							long total = ((Number) row.get("total")).longValue();
							int transfers = ((Number) row.get("transfers")).intValue();
							if (total != (long) ACCOUNTS * BALANCE || ((Number) row.get("n")).intValue() != ACCOUNTS) {
								violations.add("total " + total + " after " + transfers + " transfers");
							}
							if (transfers < lastTransfers) {
								violations.add("went back from " + lastTransfers + " to " + transfers + " transfers");
							}
							lastTransfers = transfers;
							seenTransfers.add(transfers);
							readsDone.incrementAndGet();
						}
					}, "bank-reader-" + r);
					reader.start();
					readers.add(reader);
				}
				Instant until = Instant.now().plusSeconds(8);
				int transfers = 0;
				while (Instant.now().isBefore(until)) {
					int from = ThreadLocalRandom.current().nextInt(1, ACCOUNTS + 1);
					int to = from % ACCOUNTS + 1;
					int amount = ThreadLocalRandom.current().nextInt(1, 10);
					transactions.executeWithoutResult((status) -> {
						bank.update("UPDATE accounts SET balance = balance - ? WHERE id = ?", amount, from);
						bank.update("UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, to);
						bank.update("INSERT INTO transfers (amount) VALUES (?)", amount);
					});
					transfers++;
					Thread.sleep(5);
				}
				writer.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
				int written = transfers;
				await().atMost(Duration.ofSeconds(10))
					.until(() -> reads.queryForObject("SELECT count(*) FROM transfers", Integer.class) == written);
				writing.set(false);
				for (Thread reader : readers) {
					reader.join();
				}
				assertThat(violations).isEmpty();
				assertThat(readsDone.get()).isGreaterThan(100);
				assertThat(seenTransfers.stream().distinct().count()).as("states the readers saw").isGreaterThan(3);
			});
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void whenTheReplicaStartsANewGenerationAFollowerRestoresItAfreshAndReadersSeeOneGenerationOrTheOther(
			String engine) throws Exception {
		String prefix = prefix();
		holdLeaseElsewhere(prefix);
		loneWriter(engine, prefix, "first").withPropertyValues("s3lite.restore-from=").run((first) -> {
			ReplicatedApp.insert(first.getBean(JdbcTemplate.class), 1, 10);
			first.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
		});
		app(engine, prefix, "follower", "s3lite.follower.refresh-interval=200ms").run((follower) -> {
			assertThat(follower).hasNotFailed();
			assertThat(role(follower).status().role()).isEqualTo("follower");
			JdbcTemplate reads = follower.getBean(JdbcTemplate.class);
			assertThat(ids(reads)).hasSize(10);
			String before = follower.getBean(ReplicatingDataSource.class).refresh().generation();
			AtomicBoolean reading = new AtomicBoolean(true);
			ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
			Thread reader = new Thread(() -> {
				while (reading.get()) {
					Map<String, Object> row = reads.queryForMap("SELECT count(*) AS n, coalesce(sum(id), 0) AS total FROM items");
					seen.add(row.get("n") + "/" + row.get("total"));
				}
			}, "generation-reader");
			reader.start();
			ReplicatedApp.awaitNextSecond();
			// a fresh disk with a database of its own: the replica continues in a new generation
			loneWriter(engine, prefix, "second").withPropertyValues("s3lite.restore-from=").run((second) -> {
				ReplicatedApp.insert(second.getBean(JdbcTemplate.class), 101, 105);
				second.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> ids(reads).equals(List.of(101, 102, 103, 104, 105)));
			reading.set(false);
			reader.join();
			assertThat(seen).containsOnly("10/55", "5/515");
			ReplicaPosition after = follower.getBean(ReplicatingDataSource.class).refresh();
			assertThat(after.generation()).isNotEqualTo(before);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void refreshCatchesUpAtOnceAndReturnsAPositionAtLeastAsFarAsTheWritersSyncedPosition(String engine) {
		String prefix = prefix();
		holdLeaseElsewhere(prefix);
		loneWriter(engine, prefix, "writer").run((writer) -> {
			ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), 1, 2);
			writer.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			app(engine, prefix, "follower", "s3lite.follower.refresh-interval=0").run((follower) -> {
				assertThat(follower).hasNotFailed();
				JdbcTemplate reads = follower.getBean(JdbcTemplate.class);
				ReplicatingDataSource followerPool = follower.getBean(ReplicatingDataSource.class);
				ReplicatingDataSource writerPool = writer.getBean(ReplicatingDataSource.class);
				ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), 3, 7);
				writerPool.sync(ReplicatedApp.SYNC_TIMEOUT);
				ReplicaPosition synced = writerPool.status().replicatedPosition();
				await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> count(reads) == 2);
				ReplicaPosition reached = followerPool.refresh();
				assertThat(reached).isNotNull();
				assertThat(reached.reached(synced)).as(reached + " reached " + synced).isTrue();
				assertThat(count(reads)).isEqualTo(7);
				ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), 8, 8);
				writerPool.sync(ReplicatedApp.SYNC_TIMEOUT);
				Map<String, Object> outcome = endpoint(follower).run("refresh", null);
				assertThat(outcome).containsEntry("outcome", "REFRESHED").containsEntry("role", "follower");
				assertThat(outcome.get("position")).isEqualTo(writerPool.status().replicatedPosition().toString());
				assertThat(count(reads)).isEqualTo(8);
				ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), 9, 9);
				writerPool.sync(ReplicatedApp.SYNC_TIMEOUT);
				assertThat(follower.getBean(Replication.class).refresh()).as("Replication.refresh() on the follower")
					.isEqualTo(writerPool.status().replicatedPosition());
				assertThat(count(reads)).isEqualTo(9);
				assertThat(writerPool.refresh()).as("the writer's refresh is its replicated position")
					.isEqualTo(writerPool.status().replicatedPosition());
			});
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aNewInstanceTakesTheLeaseOnTheNewestStateAndTheDemotedWriterFollowsItsWrites(String engine) {
		String prefix = prefix();
		app(engine, prefix, "first").run((first) -> {
			assertThat(first).hasNotFailed();
			ReplicatedApp.insert(first.getBean(JdbcTemplate.class), 1, 5);
			first.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			// a rolling deploy: the new instance follows, asks for the lease and gets it
			app(engine, prefix, "second", "s3lite.follower.refresh-interval=200ms").run((second) -> {
				assertThat(second).hasNotFailed();
				await().atMost(GUARD).until(() -> role(second).isWriter());
				JdbcTemplate writes = second.getBean(JdbcTemplate.class);
				assertThat(ids(writes)).containsExactly(1, 2, 3, 4, 5);
				ReplicatedApp.insert(writes, 6, 8);
				second.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
				assertThat(role(first).status().role()).isEqualTo("follower");
				JdbcTemplate demoted = first.getBean(JdbcTemplate.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> count(demoted) == 8);
				assertThat(first.getBean(ReplicatingDataSource.class).refresh()
					.reached(second.getBean(ReplicatingDataSource.class).status().replicatedPosition())).isTrue();
			});
		});
	}

	@Test
	void aReadReplicaNeverAsksTheWriterToHandOverAndTakesTheLeaseOnlyOnceItIsReleased() {
		String prefix = prefix();
		app("native", prefix, "writer", "s3lite.lease.ttl=6s").run((writer) -> {
			assertThat(writer).hasNotFailed();
			ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), 1, 3);
			writer.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			app("native", prefix, "replica", "s3lite.lease.ttl=6s", "s3lite.follower.refresh-interval=200ms",
					"s3lite.follower.request-handover=false")
				.run((replica) -> {
					assertThat(replica).hasNotFailed();
					JdbcTemplate reads = replica.getBean(JdbcTemplate.class);
					// a follower that asks adds its request to lock.json at start; the writer finds it at its next
					// renewal (ttl/3, 2 s) and hands over at once
					await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
						.until(() -> role(writer).isWriter() && !role(replica).isWriter() && count(reads) == 3
								&& !new String(s3.getObject(BUCKET, prefix + "/lock.json"), StandardCharsets.UTF_8)
									.contains("handover_requested_by"));
					writer.close();
					await().atMost(GUARD).until(() -> role(replica).isWriter());
					assertThat(ids(reads)).containsExactly(1, 2, 3);
				});
		});
	}

	@Test
	void anIncrementalRefreshDownloadsOnlyTheNewWalSegmentsNeverASnapshot() {
		String prefix = prefix();
		holdLeaseElsewhere(prefix);
		try (FaultProxy proxy = FaultProxy.forward(s3.port())) {
			loneWriter("native", prefix, "writer").run((writer) -> {
				ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), 1, 3);
				writer.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
				appThrough(proxy.endpoint(), "native", prefix, "follower", "s3lite.follower.refresh-interval=200ms")
					.run((follower) -> {
						assertThat(follower).hasNotFailed();
						JdbcTemplate reads = follower.getBean(JdbcTemplate.class);
						await().atMost(Duration.ofSeconds(5)).until(() -> count(reads) == 3);
						// the follow file's first state is a full restore (the start-up restore's is not reused yet)
						follower.getBean(ReplicatingDataSource.class).refresh();
						assertThat(replicaGets(proxy.requests(), "/snapshots/")).as("the full restores").isNotEmpty();
						for (int round = 1; round <= 3; round++) {
							int seen = proxy.requests().size();
							int from = round * 10;
							ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), from, from + 4);
							writer.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
							int expected = 3 + 5 * round;
							await().atMost(Duration.ofSeconds(5)).until(() -> count(reads) == expected);
							List<String> requests = proxy.requests().subList(seen, proxy.requests().size());
							assertThat(replicaGets(requests, "/snapshots/")).as("snapshot GETs").isEmpty();
							assertThat(replicaGets(requests, "/wal/")).as("WAL segment GETs").isNotEmpty();
						}
						assertThat(ids(reads)).isEqualTo(ids(writer.getBean(JdbcTemplate.class)));
					});
			});
		}
	}

	@Test
	void anIdleFollowerMakesOneListRequestPerProbeAndDownloadsNothing() throws Exception {
		String prefix = prefix();
		holdLeaseElsewhere(prefix);
		try (FaultProxy proxy = FaultProxy.forward(s3.port())) {
			loneWriter("native", prefix, "writer").run((writer) -> {
				ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), 1, 3);
				writer.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			});
			appThrough(proxy.endpoint(), "native", prefix, "follower", "s3lite.follower.refresh-interval=100ms")
				.run((follower) -> {
					assertThat(follower).hasNotFailed();
					assertThat(count(follower.getBean(JdbcTemplate.class))).isEqualTo(3);
					follower.getBean(ReplicatingDataSource.class).refresh();
					int seen = proxy.requests().size();
					long started = System.nanoTime();
					Thread.sleep(3_000);
					List<String> requests = proxy.requests().subList(seen, proxy.requests().size());
					long window = System.nanoTime() - started;
					List<String> lists = requests.stream()
						.filter((request) -> request.contains("list-type=2") && request.contains("generations"))
						.toList();
					// the replica moved last at start-up, less than a minute ago: a probe every interval, each one
					// LIST (a sleep never ends early, so at most one more than the window holds)
					assertThat(lists).hasSizeBetween(5, (int) (window / Duration.ofMillis(100).toNanos()) + 1);
					assertThat(replicaGets(requests, "/generations/")).as("GETs of replica objects").isEmpty();
				});
		}
	}

	/** The GETs of replica objects (snapshots or WAL segments) among request lines, not the listings. */
	private static List<String> replicaGets(List<String> requests, String part) {
		return requests.stream()
			.filter((request) -> request.startsWith("GET ") && !request.contains("list-type=") && request.contains(part))
			.toList();
	}

		/**
	 * Another instance holds the lease for the whole test, so the follower stays one (a follower asks the
	 * holder to hand over; nobody answers), and the writers, without the lease, write the replica: the
	 * follower's view is the one it has of a writer on the lease, whose replica is written the same way.
	 */
	private static void holdLeaseElsewhere(String prefix) {
		s3.putObject(BUCKET, prefix + "/lock.json",
				new LeaseRecord(1, Instant.now().plus(Duration.ofMinutes(10)), "elsewhere").toJson());
	}

	private static S3liteEndpoint endpoint(AssertableApplicationContext context) {
		return new S3liteEndpoint(context.getBean(Replication.class), context.getBean(ReplicaVerifier.class),
				Clock.systemUTC(), role(context))
			.withLifecycle(context.getBean(DatabaseLifecycle.class))
			.withDataSource(context.getBean(ReplicatingDataSource.class));
	}

	private static String[] bankMigrations() {
		return new String[] { "s3lite.migrations[1]=CREATE TABLE IF NOT EXISTS accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)",
				"s3lite.migrations[2]=CREATE TABLE IF NOT EXISTS transfers (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL)" };
	}

	private ApplicationContextRunner app(String engine, String prefix, String owner, String... properties) {
		return appThrough(s3.endpoint(), engine, prefix, owner, properties);
	}

	private ApplicationContextRunner appThrough(String endpoint, String engine, String prefix, String owner,
			String... properties) {
		return ReplicatedApp.runner(this.dir.resolve(owner + "/app.db"), "s3://" + BUCKET + "/" + prefix, endpoint)
			.withPropertyValues("s3lite.engine=" + engine, "s3lite.lease.enabled=true", "s3lite.lease.owner=" + owner)
			.withPropertyValues(bankMigrations())
			.withPropertyValues(properties);
	}

	private ApplicationContextRunner loneWriter(String engine, String prefix, String name) {
		return ReplicatedApp.runner(this.dir.resolve(name + "/app.db"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withPropertyValues("s3lite.engine=" + engine, "s3lite.lease.enabled=false")
			.withPropertyValues(bankMigrations());
	}

	private static int count(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT count(*) FROM items", Integer.class);
	}

	private static List<Integer> ids(JdbcTemplate jdbc) {
		return jdbc.queryForList("SELECT id FROM items ORDER BY id", Integer.class);
	}

	private static LeaseRole role(AssertableApplicationContext context) {
		return context.getBean(LeaseRole.class);
	}

	private static String prefix() {
		return "db-" + UUID.randomUUID();
	}

}
