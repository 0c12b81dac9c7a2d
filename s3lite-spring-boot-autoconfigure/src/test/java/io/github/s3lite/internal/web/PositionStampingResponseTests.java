package io.github.s3lite.internal.web;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The headers of read-your-writes are set at the last moment they can be: before the first byte of a
 * body, however it is written, before an error or a redirect, and for an empty response when the chain
 * returns; once per response, again after a reset, never on a committed response.
 */
class PositionStampingResponseTests {

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	private final AtomicInteger stamps = new AtomicInteger();

	private final PositionStampingResponse stamping = new PositionStampingResponse(this.response,
			() -> this.response.setHeader("S3lite-Position", "stamp-" + this.stamps.incrementAndGet()));

	@Test
	void aBodyWrittenAsBytesIsPrecededByTheHeaderSetOnce() throws Exception {
		this.response.setBufferSize(16);
		assertThat(this.stamps).hasValue(0);
		this.stamping.getOutputStream().write(new byte[64]);
		this.stamping.getOutputStream().write('x');
		this.stamping.stampIfNotCommitted();
		assertThat(this.response.isCommitted()).isTrue();
		assertThat(this.response.getHeader("S3lite-Position")).isEqualTo("stamp-1");
	}

	@Test
	void aBodyWrittenAsTextIsPrecededByTheHeader() throws Exception {
		this.stamping.getWriter().println();
		this.stamping.getWriter().flush();
		assertThat(this.response.isCommitted()).isTrue();
		assertThat(this.response.getHeader("S3lite-Position")).isEqualTo("stamp-1");
		assertThat(this.stamping.getWriter().checkError()).isFalse();
	}

	@Test
	void anErrorARedirectAndAFlushAreEachPrecededByTheHeader() throws Exception {
		this.stamping.sendError(503);
		assertThat(this.response.getHeader("S3lite-Position")).isEqualTo("stamp-1");
		MockHttpServletResponse redirected = new MockHttpServletResponse();
		new PositionStampingResponse(redirected, () -> redirected.setHeader("S3lite-Position", "r"))
			.sendRedirect("/elsewhere");
		assertThat(redirected.getHeader("S3lite-Position")).isEqualTo("r");
		MockHttpServletResponse flushed = new MockHttpServletResponse();
		new PositionStampingResponse(flushed, () -> flushed.setHeader("S3lite-Position", "f")).flushBuffer();
		assertThat(flushed.getHeader("S3lite-Position")).isEqualTo("f");
	}

	@Test
	void anEmptyResponseGetsTheHeaderWhenTheChainReturnsAndACommittedOneNever() throws Exception {
		this.stamping.setStatus(204);
		this.stamping.stampIfNotCommitted();
		assertThat(this.response.getHeader("S3lite-Position")).isEqualTo("stamp-1");
		MockHttpServletResponse committed = new MockHttpServletResponse();
		committed.setCommitted(true);
		new PositionStampingResponse(committed, () -> committed.setHeader("S3lite-Position", "late"))
			.stampIfNotCommitted();
		assertThat(committed.getHeader("S3lite-Position")).isNull();
	}

	@Test
	void aResetResponseIsStampedAgain() throws Exception {
		this.stamping.getWriter().write("partial");
		this.stamping.reset();
		assertThat(this.response.getHeader("S3lite-Position")).isNull();
		this.stamping.stampIfNotCommitted();
		assertThat(this.response.getHeader("S3lite-Position")).isEqualTo("stamp-2");
	}

}
