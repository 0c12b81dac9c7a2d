package io.github.s3lite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's peak resident set size (VmHWM) from {@code /proc}.
 */
final class ProcessMemory {

	private ProcessMemory() {
	}

	/**
	 * Return the peak RSS of a process in MiB, or NaN when it cannot be read.
	 * @param pid the process id
	 * @return the peak RSS in MiB
	 */
	static double peakRssMib(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// not Linux, or the process is gone
		}
		return Double.NaN;
	}

}
