package dev.meshid.agent.bundle;

import dev.meshid.sds.secret.TrustBundle;
import dev.meshid.sds.server.AckStatus;

/** How many SDS clients watching {@code ROOTCA} have ACKed a value; the agent's SDS server answers it. */
@FunctionalInterface
public interface SdsAcks {
    AckStatus rootCa(TrustBundle value);
}
