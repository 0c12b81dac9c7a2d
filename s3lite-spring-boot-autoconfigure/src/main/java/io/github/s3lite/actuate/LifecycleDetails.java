package io.github.s3lite.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.lifecycle.LifecycleTransition;

/**
 * The {@code lifecycle} section of the ops endpoint: the state, since when, why this instance does not
 * write (when it does not) and the last transitions, oldest first.
 */
final class LifecycleDetails {

	private LifecycleDetails() {
	}

	static Map<String, Object> of(DatabaseLifecycle lifecycle) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", lifecycle.state().label());
		details.put("since", lifecycle.since().toString());
		details.put("writable", lifecycle.isWriter());
		String reason = lifecycle.notWritingReason();
		if (reason != null) {
			details.put("notWritingBecause", reason);
		}
		List<Map<String, Object>> transitions = lifecycle.history().stream().map(LifecycleDetails::of).toList();
		details.put("transitions", transitions);
		return details;
	}

	private static Map<String, Object> of(LifecycleTransition transition) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("at", transition.at().toString());
		details.put("from", transition.from().label());
		details.put("to", transition.to().label());
		details.put("reason", transition.reason());
		return details;
	}

}
