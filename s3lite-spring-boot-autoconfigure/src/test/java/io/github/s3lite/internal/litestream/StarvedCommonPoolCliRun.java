package io.github.s3lite.internal.litestream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;

import io.github.s3lite.internal.config.S3Connection;

/**
 * Runs one {@link LitestreamCli} command while every worker of the common pool is blocked, and prints
 * its exit code and output. Run in a child JVM by {@link LitestreamCliTests}.
 */
public final class StarvedCommonPoolCliRun {

	private StarvedCommonPoolCliRun() {
	}

	public static void main(String[] args) throws InterruptedException {
		int workers = ForkJoinPool.getCommonPoolParallelism();
		CountDownLatch blocked = new CountDownLatch(workers);
		CountDownLatch release = new CountDownLatch(1);
		for (int i = 0; i < workers; i++) {
			ForkJoinPool.commonPool().execute(() -> {
				blocked.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
		blocked.await();
		try {
			LitestreamCli.Result result = new LitestreamCli(Path.of(args[0]), S3Connection.of(null, null, null, null,
					null))
				.run(Duration.ofSeconds(30), "restore");
			System.out.println("common pool workers blocked: " + workers);
			System.out.println("exit code: " + result.exitCode());
			System.out.println("output: " + result.output().strip());
		}
		finally {
			release.countDown();
		}
	}

}
