package io.github.s3lite.internal.datasource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the final flush runs in a graceful shutdown, against Spring's real constants and lifecycle
 * processor: after the web server's graceful shutdown and after task executors and schedulers
 * stopped (so in-flight requests and {@code @Scheduled} work are in the replica), and before
 * singletons such as the pool are destroyed. The web server's phase is checked against the real
 * server in the sample application ({@code ShutdownPhaseTests}), which has one.
 */
class ReplicationShutdownFlushOrderTests {

	@Test
	void theFlushPhaseIsBelowTheExecutorsAndSchedulersPhase() {
		assertThat(ReplicationShutdownFlush.PHASE).isLessThan(new ThreadPoolTaskExecutor().getPhase())
			.isLessThan(new ThreadPoolTaskScheduler().getPhase());
	}

	@Test
	void aClosingContextStopsTheTaskExecutorThenFlushesThenDestroysThePool() {
		List<String> events = new CopyOnWriteArrayList<>();
		new ApplicationContextRunner().withBean("events", List.class, () -> events)
			.withUserConfiguration(ShutdownParticipants.class)
			.run((context) -> {
				context.getBean(ThreadPoolTaskExecutor.class).submit(() -> events.add("task ran")).get();
				events.clear();
			});
		assertThat(events).containsExactly("executor stopped", "flushed", "pool closed");
	}

	@Configuration(proxyBeanMethods = false)
	static class ShutdownParticipants {

		@Bean
		ThreadPoolTaskExecutor executor(List<String> events) {
			return new ThreadPoolTaskExecutor() {

				@Override
				public void stop(Runnable callback) {
					events.add("executor stopped");
					super.stop(callback);
				}

			};
		}

		@Bean
		DisposableBean pool(List<String> events) {
			return () -> events.add("pool closed");
		}

		@Bean
		ReplicationShutdownFlush flush(List<String> events) {
			return new ReplicationShutdownFlush(new RecordingReplication(events), Duration.ofSeconds(1));
		}

	}

	record RecordingReplication(List<String> events) implements Replication {

		@Override
		public void sync(Duration timeout) {
			this.events.add("flushed");
		}

		@Override
		public ReplicationStatus status() {
			return configuredStatus();
		}

		@Override
		public void stop() {
		}

		/**
		 * The one place a status is built here.
		 * @return a status of configured, running replication
		 */
		private static ReplicationStatus configuredStatus() {
			return new ReplicationStatus(true, "litestream", "s3://bucket/db", true, null, null, 0, true, null, 0, 0, null,
					null, Map.of(), Map.of());
		}

	}

}
