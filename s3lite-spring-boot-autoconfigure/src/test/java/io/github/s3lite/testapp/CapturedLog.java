package io.github.s3lite.testapp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * The events logged to a Logback logger and its children while it is open, whatever the appenders and
 * levels of the rest of the configuration; thread-safe.
 */
public final class CapturedLog implements AutoCloseable {

	private final Logger logger;

	private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

	private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {

		@Override
		protected void append(ILoggingEvent event) {
			CapturedLog.this.events.add(event);
		}

	};

	private final Level previousLevel;

	private CapturedLog(String name, Level level) {
		this.logger = (Logger) LoggerFactory.getLogger(name);
		this.previousLevel = this.logger.getLevel();
		if (level != null) {
			this.logger.setLevel(level);
		}
		this.appender.setContext(this.logger.getLoggerContext());
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	/**
	 * Start capturing a logger and its children.
	 * @param name the logger's name
	 * @return the capture, to close
	 */
	public static CapturedLog of(String name) {
		return new CapturedLog(name, null);
	}

	/**
	 * Start capturing a logger and its children at a level, restored by {@link #close()}.
	 * @param name the logger's name
	 * @param level the level of the logger while captured
	 * @return the capture, to close
	 */
	public static CapturedLog of(String name, Level level) {
		return new CapturedLog(name, level);
	}

	/**
	 * Forget what was captured so far.
	 */
	public void clear() {
		this.events.clear();
	}

	/**
	 * Return the lines captured at a level or above, as {@code LEVEL logger-simple-name: message}.
	 * @param threshold the lowest level
	 * @return the lines, oldest first
	 */
	public List<String> lines(Level threshold) {
		return this.events.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(threshold))
			.map((event) -> event.getLevel() + " " + simpleName(event.getLoggerName()) + ": "
					+ event.getFormattedMessage())
			.toList();
	}

	private static String simpleName(String name) {
		return name.substring(name.lastIndexOf('.') + 1);
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(this.previousLevel);
		this.appender.stop();
	}

}
