package io.github.s3lite.internal.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.servlet.filter.OrderedFilter;
import org.springframework.web.filter.OncePerRequestFilter;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.lifecycle.LifecycleState;
import io.github.s3lite.internal.replication.ReplicaPositions;
import io.github.s3lite.replication.ReplicaPosition;

/**
 * Read-your-writes over HTTP, with the single-writer lease:
 * <ul>
 * <li>on the writer, the response to a POST, PUT, PATCH or DELETE carries {@value #POSITION}: the
 * position that holds every transaction committed when the response is committed
 * ({@link ReplicatingDataSource#currentPosition()}), set just before it is ({@link PositionStampingResponse});</li>
 * <li>on a follower, a request carrying {@value #POSITION} waits, before its handler runs and at most
 * {@code s3lite.follower.read-your-writes-timeout}, until the readers reached that position
 * ({@link ReplicatingDataSource#awaitPosition}); when they did not (or the header is not a position), the
 * request proceeds and its response carries {@value #STALE}{@code : true}. Every response carries the
 * follower's own published position in {@value #POSITION}, when it has one.</li>
 * </ul>
 * It runs after Spring Security's filter chain ({@link #ORDER}), so an unauthenticated request never
 * waits.
 */
public final class PositionHeaderFilter extends OncePerRequestFilter implements OrderedFilter {

	/** The header with a replica position: the writer's after a write, a follower's own, a client's to wait for. */
	public static final String POSITION = "S3lite-Position";

	/** The header of a follower's response whose readers had not reached the position the request carried. */
	public static final String STALE = "S3lite-Stale";

	/** The filter's order: after Spring Security's filter chain (-100), before Spring MVC. */
	public static final int ORDER = 0;

	private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

	private static final Logger logger = LoggerFactory.getLogger(PositionHeaderFilter.class);

	private final ReplicatingDataSource dataSource;

	private final DatabaseLifecycle lifecycle;

	private final Duration timeout;

	/**
	 * Create the filter.
	 * @param dataSource s3lite's pool
	 * @param lifecycle the lifecycle of its database, which says whether this instance follows
	 * @param timeout how long a follower's request waits for the position it carries
	 */
	public PositionHeaderFilter(ReplicatingDataSource dataSource, DatabaseLifecycle lifecycle, Duration timeout) {
		this.dataSource = dataSource;
		this.lifecycle = lifecycle;
		this.timeout = timeout;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String wanted = request.getHeader(POSITION);
		boolean stale = wanted != null && following() && !reached(wanted);
		boolean mutating = MUTATING.contains(request.getMethod());
		PositionStampingResponse stamping = new PositionStampingResponse(response,
				() -> stamp(response, mutating, stale));
		try {
			chain.doFilter(request, stamping);
		}
		finally {
			if (!request.isAsyncStarted()) {
				stamping.stampIfNotCommitted();
			}
		}
	}

	private boolean reached(String wanted) {
		ReplicaPosition position;
		try {
			position = ReplicaPositions.parse(wanted);
		}
		catch (IllegalArgumentException ex) {
			logger.debug("Not waiting for the {} header of a request: {}", POSITION, ex.getMessage());
			return false;
		}
		return this.dataSource.awaitPosition(position, this.timeout);
	}

	private void stamp(HttpServletResponse response, boolean mutating, boolean stale) {
		if (mutating || following()) {
			ReplicaPosition position = this.dataSource.currentPosition();
			if (position != null) {
				response.setHeader(POSITION, position.toString());
			}
		}
		if (stale) {
			response.setHeader(STALE, "true");
		}
	}

	private boolean following() {
		return this.lifecycle.state() == LifecycleState.FOLLOWING;
	}

}
