package dev.meshid.ca.keysource;

import dev.meshid.ca.bundle.AgentView;
import java.util.List;

/**
 * What a rotating key source needs to know about the node agents: each connected agent and the roots of the
 * bundle it last acked. The running CA passes its bundle-stream registry's view; nothing else of the CA.
 */
@FunctionalInterface
public interface BundleAcks {

    /** The agents connected now, each with the roots it acked. */
    List<AgentView> agents();
}
