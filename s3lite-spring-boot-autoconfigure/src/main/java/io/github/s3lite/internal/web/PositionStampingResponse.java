package io.github.s3lite.internal.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * A response that sets its headers at the last moment they can be set: just before the first byte of
 * the body is written or flushed, before an error or a redirect is sent, or, for a response without a
 * body (an empty 201 or 204), when the filter chain returns ({@link #stampIfNotCommitted()}). So a
 * header reflects the state after the handler's transaction committed. A {@link #reset()} sets them
 * again later.
 */
final class PositionStampingResponse extends HttpServletResponseWrapper {

	private final Runnable stamp;

	private boolean stamped;

	private ServletOutputStream outputStream;

	private PrintWriter writer;

	/**
	 * Wrap a response.
	 * @param response the response
	 * @param stamp sets the headers on the response, at most once until a reset
	 */
	PositionStampingResponse(HttpServletResponse response, Runnable stamp) {
		super(response);
		this.stamp = stamp;
	}

	/**
	 * Set the headers now, unless they are set or the response is committed.
	 */
	void stampIfNotCommitted() {
		if (!this.stamped && !isCommitted()) {
			this.stamped = true;
			this.stamp.run();
		}
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		if (this.outputStream == null) {
			this.outputStream = new StampingOutputStream(super.getOutputStream());
		}
		return this.outputStream;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		if (this.writer == null) {
			PrintWriter target = super.getWriter();
			this.writer = new PrintWriter(new StampingWriter(target)) {

				@Override
				public boolean checkError() {
					return super.checkError() || target.checkError();
				}

			};
		}
		return this.writer;
	}

	@Override
	public void flushBuffer() throws IOException {
		stampIfNotCommitted();
		super.flushBuffer();
	}

	@Override
	public void sendError(int sc) throws IOException {
		stampIfNotCommitted();
		super.sendError(sc);
	}

	@Override
	public void sendError(int sc, String msg) throws IOException {
		stampIfNotCommitted();
		super.sendError(sc, msg);
	}

	@Override
	public void sendRedirect(String location) throws IOException {
		stampIfNotCommitted();
		super.sendRedirect(location);
	}

	@Override
	public void sendRedirect(String location, int sc) throws IOException {
		stampIfNotCommitted();
		super.sendRedirect(location, sc);
	}

	@Override
	public void sendRedirect(String location, boolean clearBuffer) throws IOException {
		stampIfNotCommitted();
		super.sendRedirect(location, clearBuffer);
	}

	@Override
	public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
		stampIfNotCommitted();
		super.sendRedirect(location, sc, clearBuffer);
	}

	@Override
	public void reset() {
		super.reset();
		this.stamped = false;
	}

	private final class StampingOutputStream extends ServletOutputStream {

		private final ServletOutputStream target;

		StampingOutputStream(ServletOutputStream target) {
			this.target = target;
		}

		@Override
		public void write(int b) throws IOException {
			stampIfNotCommitted();
			this.target.write(b);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			stampIfNotCommitted();
			this.target.write(b, off, len);
		}

		@Override
		public void flush() throws IOException {
			stampIfNotCommitted();
			this.target.flush();
		}

		@Override
		public void close() throws IOException {
			stampIfNotCommitted();
			this.target.close();
		}

		@Override
		public boolean isReady() {
			return this.target.isReady();
		}

		@Override
		public void setWriteListener(WriteListener listener) {
			this.target.setWriteListener(listener);
		}

	}

	private final class StampingWriter extends Writer {

		private final PrintWriter target;

		StampingWriter(PrintWriter target) {
			this.target = target;
		}

		@Override
		public void write(int c) {
			stampIfNotCommitted();
			this.target.write(c);
		}

		@Override
		public void write(char[] cbuf, int off, int len) {
			stampIfNotCommitted();
			this.target.write(cbuf, off, len);
		}

		@Override
		public void write(String str, int off, int len) {
			stampIfNotCommitted();
			this.target.write(str, off, len);
		}

		@Override
		public void flush() {
			stampIfNotCommitted();
			this.target.flush();
		}

		@Override
		public void close() {
			stampIfNotCommitted();
			this.target.close();
		}

	}

}
