package io.github.s3lite.internal.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.s3lite.replication.ReplicaPosition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The textual form of a replica position ({@code S3lite-Position}) reads back as the position that wrote
 * it, and anything else is refused with a message naming the text and the expected form.
 */
class ReplicaPositionsTests {

	@Test
	void aPositionReadsBackFromItsTextEqualAndComparableToTheOriginal() {
		WalPosition written = new WalPosition("0123456789abcdef", 0x2a, 4152);
		ReplicaPosition read = ReplicaPositions.parse(written.toString());
		assertThat(written.toString()).isEqualTo("0123456789abcdef/0000002a:4152");
		assertThat(read).isEqualTo(written);
		assertThat(read.reached(written)).isTrue();
		assertThat(written.reached(read)).isTrue();
		assertThat(new WalPosition("0123456789abcdef", 0x2a, 4151).reached(read)).isFalse();
	}

	@Test
	void indexesBeyondEightHexDigitsAndTheFirstOffsetRoundTrip() {
		WalPosition large = new WalPosition("ffffffffffffffff", 0x1_0000_0000L, Long.MAX_VALUE);
		WalPosition first = new WalPosition("0000000000000000", 0, 0);
		assertThat(ReplicaPositions.parse(large.toString())).isEqualTo(large);
		assertThat(ReplicaPositions.parse(first.toString())).isEqualTo(first);
		assertThat(ReplicaPositions.parse(" " + first + " ")).as("surrounding spaces of a header").isEqualTo(first);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "garbage", "0123456789abcdef", "0123456789abcdef/0000002a",
			"0123456789ABCDEF/0000002a:4152", "0123456789abcde/0000002a:4152", "0123456789abcdef/2a:-1",
			"0123456789abcdef/0000002a:4152:1", "0123456789abcdef/ffffffffffffffff:0",
			"0123456789abcdef/0000002a:99999999999999999999", "null/0000002a:4152" })
	void textThatIsNotAPositionIsRefusedNamingItAndTheExpectedForm(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> ReplicaPositions.parse(text))
			.withMessageStartingWith("Invalid replica position '" + text + "'")
			.withMessageContaining("expected <generation>/<index>:<offset>");
	}

	@Test
	void aLongOrNullTextIsShortenedOrNamedInTheMessage() {
		String header = "0123456789abcdef/".repeat(20) + "\r\n";
		assertThatIllegalArgumentException().isThrownBy(() -> ReplicaPositions.parse(header))
			.withMessageStartingWith("Invalid replica position '" + header.substring(0, 64) + "...'");
		assertThatIllegalArgumentException().isThrownBy(() -> ReplicaPositions.parse(null))
			.withMessageStartingWith("Invalid replica position null:");
	}

}
