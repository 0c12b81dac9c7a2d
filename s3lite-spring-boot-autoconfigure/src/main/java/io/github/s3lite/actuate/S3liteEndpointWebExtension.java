package io.github.s3lite.actuate;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP side of {@code /actuator/s3lite}: a rejected action (unknown action, or a timeout that is
 * not a positive duration of at most {@link S3liteEndpoint#MAX_TIMEOUT}) answers {@code 400 Bad Request};
 * every action that ran answers {@code 200} with its outcome.
 */
@EndpointWebExtension(endpoint = S3liteEndpoint.class)
public class S3liteEndpointWebExtension {

	private final S3liteEndpoint endpoint;

	/**
	 * Create the extension.
	 * @param endpoint the endpoint
	 */
	public S3liteEndpointWebExtension(S3liteEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * Run an action, see {@link S3liteEndpoint#run(String, String)}.
	 * @param action {@code sync} (default) or {@code verify}
	 * @param timeout bound of a sync, e.g. {@code 10s} (default 30s, at most 10 minutes)
	 * @return the outcome, with status 400 when the request was rejected
	 */
	@WriteOperation
	public WebEndpointResponse<Map<String, Object>> run(@Nullable String action, @Nullable String timeout) {
		Map<String, Object> result = this.endpoint.run(action, timeout);
		boolean rejected = S3liteEndpoint.REJECTED.equals(result.get("outcome"));
		return new WebEndpointResponse<>(result,
				rejected ? WebEndpointResponse.STATUS_BAD_REQUEST : WebEndpointResponse.STATUS_OK);
	}

}
