package io.github.s3lite.internal.lease;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.s3lite.internal.datasource.WriteGate;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances started at once on an empty replica end with one writer and one follower, without a
 * hand-over: the follower does not ask an instance that became the writer as it started to hand over
 * (it would only cost a no-writer window).
 */
class SimultaneousStartTests {

	private static final String BUCKET = "simultaneous";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void twoInstancesStartedTogetherEndWithOneWriterAndOneFollowerWithoutAHandOver() throws Exception {
		String prefix = "together-" + UUID.randomUUID();
		Map<String, LeaseRole> roles = new ConcurrentHashMap<>();
		CountDownLatch started = new CountDownLatch(2);
		CountDownLatch checked = new CountDownLatch(1);
		List<Thread> instances = List.of("a", "b").stream().map((owner) -> new Thread(() -> app(prefix, owner).run((context) -> {
			roles.put(owner, context.getBean(LeaseRole.class));
			started.countDown();
			try {
				checked.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}), "instance-" + owner)).toList();
		instances.forEach(Thread::start);
		try {
			assertThat(started.await(60, TimeUnit.SECONDS)).as("both started").isTrue();
			// a follower asks at its first poll (every second with this ttl) and a holder hands over at its next
			await("no hand-over").during(Duration.ofSeconds(5))
				.atMost(Duration.ofSeconds(10))
				.until(() -> roles.values().stream().filter(LeaseRole::isWriter).count() == 1
						&& roles.values().stream().allMatch((role) -> role.status().handovers() == 0));
			assertThat(roles.values().stream().map((role) -> role.status().role()))
				.containsExactlyInAnyOrder("writer", "follower");
		}
		finally {
			checked.countDown();
			for (Thread instance : instances) {
				instance.join(60_000);
			}
		}
	}

	private ApplicationContextRunner app(String prefix, String owner) {
		return ReplicatedApp.runner(this.dir.resolve(owner + "/app.db"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withPropertyValues("s3lite.lease.enabled=true", "s3lite.lease.owner=" + owner, "s3lite.lease.ttl=6s");
	}

}
