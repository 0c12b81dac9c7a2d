package io.github.s3lite.internal.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.s3lite.internal.lease.LeaseStatus;

/**
 * The lease as shown by health and the ops endpoint: role, owner, holder, expiry, generation,
 * renewals, renewal failures, hand-overs and the last hand-over.
 */
public final class LeaseDetails {

	private LeaseDetails() {
	}

	/**
	 * Return the details of a lease status.
	 * @param lease the status
	 * @return the details, in a stable order
	 */
	public static Map<String, Object> of(LeaseStatus lease) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("role", lease.role());
		details.put("owner", lease.owner());
		details.put("holder", (lease.holder() != null) ? lease.holder() : "unknown");
		details.put("expiresAt", String.valueOf(lease.expiresAt()));
		details.put("generation", lease.generation());
		details.put("renewals", lease.renewals());
		details.put("renewalFailures", lease.renewalFailures());
		details.put("handovers", lease.handovers());
		if (lease.lastHandover() != null) {
			details.put("lastHandover", lease.lastHandover());
		}
		return details;
	}

}
