package dev.meshid.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshid.pki.testing.TestPki;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrustedRootsTest {
    private final TestPki.Issued rootA = TestPki.root("Root A").build();
    private final TestPki.Issued rootB = TestPki.root("Root B").build();
    private final TestPki.Issued intB = rootB.intermediate("Int B").build();
    private final TestPki.Issued leafA = rootA.intermediate("Int A").build().svid("spiffe://td/ns/a/sa/b").build();
    private final TestPki.Issued leafB = intB.svid("spiffe://td/ns/a/sa/b").build();

    @Test
    void select_withoutStream_usesTheAnswersRoots() {
        assertThat(TrustedRoots.select(Optional.empty(), List.of(rootA.cert()), leafA.chainWithoutRoot()))
                .containsExactly(rootA.cert());
    }

    @Test
    void select_withStream_theStreamIsAuthoritative() {
        assertThat(TrustedRoots.select(Optional.of(List.of(rootA.cert(), rootB.cert())), List.of(rootA.cert()),
                leafA.chainWithoutRoot())).containsExactly(rootA.cert(), rootB.cert());
        assertThat(TrustedRoots.select(Optional.of(List.of(rootB.cert())), List.of(rootA.cert(), rootB.cert()),
                leafB.chainWithoutRoot())).containsExactly(rootB.cert());
    }

    @Test
    void select_answerOvertookTheStream_addsOnlyTheRootOfTheOwnChain() {
        TestPki.Issued rootC = TestPki.root("Root C").build();

        assertThat(TrustedRoots.select(Optional.of(List.of(rootA.cert())), List.of(rootA.cert(), rootB.cert(),
                rootC.cert()), leafB.chainWithoutRoot())).containsExactly(rootA.cert(), rootB.cert());
    }
}
