package io.github.s3lite.internal.litestream;

/**
 * Creates one litestream work directory, prints its path and exits without deleting it. Run in a
 * child JVM by {@link LitestreamConfigFileTests}.
 */
public final class WorkDirectoryRun {

	private WorkDirectoryRun() {
	}

	public static void main(String[] args) {
		System.out.println("work directory: " + LitestreamConfigFile.createWorkDirectory());
	}

}
