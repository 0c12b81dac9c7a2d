package io.github.s3lite.internal.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last transitions of a lifecycle, oldest first, at most a given number.
 */
final class TransitionHistory {

	private final int size;

	private final Deque<LifecycleTransition> transitions = new ArrayDeque<>();

	TransitionHistory(int size) {
		this.size = size;
	}

	synchronized void add(LifecycleTransition transition) {
		this.transitions.addLast(transition);
		while (this.transitions.size() > this.size) {
			this.transitions.removeFirst();
		}
	}

	synchronized List<LifecycleTransition> list() {
		return List.copyOf(this.transitions);
	}

}
