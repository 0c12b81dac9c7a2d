package io.github.s3lite.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.test.S3ProxyServer;

/**
 * Followers under the single-writer lease, all at their defaults ({@code s3lite.follower.refresh-interval}
 * 1 s, sync-interval 1 s, lease ttl 30 s): a writer and followers as separate contexts in this JVM on one
 * replica, so that one clock times a row from its commit on the writer to its first read on a follower.
 */
final class FollowerBenchmark {

	private final S3ProxyServer s3;

	private final Path work;

	private final Duration window;

	private final Duration settle;

	private int prefixes;

	FollowerBenchmark(S3ProxyServer s3, Path work, Duration window, Duration settle) {
		this.s3 = s3;
		this.work = work;
		this.window = window;
		this.settle = settle;
	}

	/**
	 * Staleness: a writer commits 100 single-row inserts a second, each stamped with {@code System.nanoTime()},
	 * while a reader on the follower polls the newest row every 5 ms; every row the follower shows for the
	 * first time counts its age then.
	 * @param engine the writer's engine
	 * @return the ages in ms
	 */
	Stats staleness(String engine) throws Exception {
		String prefix = prefix();
		try (ConfigurableApplicationContext writer = started(prefix, "writer", engine);
				ConfigurableApplicationContext follower = start(prefix, "follower", engine, "1s")) {
			JdbcTemplate writes = writer.getBean(JdbcTemplate.class);
			JdbcTemplate reads = follower.getBean(JdbcTemplate.class);
			Map<Long, Long> committedAt = new ConcurrentHashMap<>();
			List<Double> ages = new ArrayList<>();
			AtomicBoolean writing = new AtomicBoolean(true);
			Thread producer = new Thread(() -> produce(writes, committedAt, writing), "bench-writer");
			producer.start();
			long deadline = System.nanoTime() + this.window.toNanos();
			long seen = 0;
			try {
				while (System.nanoTime() < deadline) {
					Long newest = reads.queryForObject("SELECT max(id) FROM items", Long.class);
					long now = System.nanoTime();
					if (newest != null && newest > seen) {
						for (long id = seen + 1; id <= newest; id++) {
							Long at = committedAt.get(id);
							if (at != null) {
								ages.add((now - at) / 1e6);
							}
						}
						seen = newest;
					}
					Thread.sleep(5);
				}
			}
			finally {
				writing.set(false);
				producer.join();
			}
			// the first rows count from before the follower's first refresh: leave out the first tenth
			return Stats.of(ages.subList(ages.size() / 10, ages.size()));
		}
	}

	private static void produce(JdbcTemplate writes, Map<Long, Long> committedAt, AtomicBoolean writing) {
		long next = System.nanoTime();
		while (writing.get()) {
			long before = System.nanoTime();
			writes.update("INSERT INTO items (name, payload) VALUES ('follow', 'x')");
			Long id = writes.queryForObject("SELECT last_insert_rowid()", Long.class);
			committedAt.put(id, before);
			next += 10_000_000L;
			long wait = next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
		}
	}

	/**
	 * Reads a second on two followers of the same writer (100 writes a second), one refreshing every second
	 * and one that never refreshes ({@code refresh-interval: 0}), each with 4 threads of point queries,
	 * one after the other.
	 * @return reads/s while refreshing, reads/s without refreshing
	 */
	double[] readsPerSecond() throws Exception {
		String prefix = prefix();
		try (ConfigurableApplicationContext writer = started(prefix, "writer", "native")) {
			JdbcTemplate writes = writer.getBean(JdbcTemplate.class);
			for (int i = 0; i < 1000; i++) {
				writes.update("INSERT INTO items (name, payload) VALUES ('seed', 'x')");
			}
			writer.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(30));
			AtomicBoolean writing = new AtomicBoolean(true);
			Thread producer = new Thread(() -> produce(writes, new ConcurrentHashMap<>(), writing), "bench-writer");
			producer.start();
			try {
				double refreshing;
				double still;
				try (ConfigurableApplicationContext follower = start(prefix, "follower-1", "native", "1s")) {
					refreshing = reads(follower.getBean(JdbcTemplate.class));
				}
				try (ConfigurableApplicationContext follower = start(prefix, "follower-0", "native", "0")) {
					still = reads(follower.getBean(JdbcTemplate.class));
				}
				return new double[] { refreshing, still };
			}
			finally {
				writing.set(false);
				producer.join();
			}
		}
	}

	private double reads(JdbcTemplate reads) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			reads.queryForObject("SELECT count(*) FROM items", Long.class);
			long deadline = System.nanoTime() + this.window.toNanos();
			long started = System.nanoTime();
			List<Future<Long>> counts = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				counts.add(pool.submit(() -> {
					long n = 0;
					while (System.nanoTime() < deadline) {
						reads.queryForObject("SELECT payload FROM items WHERE id = ?", String.class, 1 + (n % 500));
						n++;
					}
					return n;
				}));
			}
			long total = 0;
			for (Future<Long> count : counts) {
				total += count.get();
			}
			return total / ((System.nanoTime() - started) / 1e9);
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * S3 requests of one follower (through its own counting forwarder), scaled to an hour: idle, then with
	 * one write a second on the writer.
	 * @return requests/h idle, of which for the lease, then requests/h at 1 write/s, of which for the lease
	 */
	long[] followerRequests(String engine) throws Exception {
		String prefix = prefix();
		try (CountingProxy proxy = new CountingProxy(this.s3.port());
				ConfigurableApplicationContext writer = started(prefix, "writer", engine);
				ConfigurableApplicationContext follower = start(prefix, "follower", engine, "1s", proxy.endpoint())) {
			JdbcTemplate writes = writer.getBean(JdbcTemplate.class);
			// settle: after a quiet minute the follower's probe backs off to its idle cadence
			Thread.sleep(this.settle.toMillis());
			proxy.reset();
			Thread.sleep(this.window.toMillis());
			long idle = proxy.requests();
			long idleLease = proxy.leaseRequests();
			proxy.reset();
			long deadline = System.nanoTime() + this.window.toNanos();
			while (System.nanoTime() < deadline) {
				writes.update("INSERT INTO items (name, payload) VALUES ('slow', 'x')");
				Thread.sleep(1000);
			}
			long busy = proxy.requests();
			long busyLease = proxy.leaseRequests();
			double scale = 3600.0 / this.window.toSeconds();
			return new long[] { Math.round(idle * scale), Math.round(idleLease * scale), Math.round(busy * scale),
					Math.round(busyLease * scale) };
		}
	}

	/** A writer whose migrated schema is in the replica, so that a follower started next reads it. */
	private ConfigurableApplicationContext started(String prefix, String name, String engine) {
		ConfigurableApplicationContext writer = start(prefix, name, engine, "1s");
		writer.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(30));
		return writer;
	}

	private String prefix() {
		return "follower-bench-" + (++this.prefixes);
	}

	private ConfigurableApplicationContext start(String prefix, String name, String engine, String refresh) {
		return start(prefix, name, engine, refresh, this.s3.endpoint());
	}

	private ConfigurableApplicationContext start(String prefix, String name, String engine, String refresh,
			String endpoint) {
		Map<String, Object> properties = BenchApps.replicated(endpoint,
				this.work.resolve(prefix + "-" + name + ".sqlite3").toString(), prefix);
		properties.put("s3lite.engine", engine);
		properties.put("s3lite.lease.owner", name);
		properties.put("s3lite.follower.refresh-interval", refresh);
		// read replicas: a follower that asked for a hand-over would become the writer
		properties.put("s3lite.follower.request-handover", String.valueOf(name.equals("writer")));
		properties.put("spring.datasource.hikari.maximum-pool-size", "8");
		return BenchApps.start(properties);
	}

}
