package dev.anycastd.checks;

import java.util.List;

/**
 * Kills a process with everything it started, by process id: its descendants first, so that none
 * is left behind re-parented to init when its parent dies, then the process itself. A descendant
 * started between two looks is caught by the next look, up to a few.
 */
final class ProcessTree {

    private static final int LOOKS = 5;

    private ProcessTree() {
    }

    static void kill(ProcessHandle root) {
        for (int look = 0; look < LOOKS; look++) {
            List<ProcessHandle> descendants = root.descendants().toList();
            if (descendants.isEmpty()) {
                break;
            }
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        root.destroyForcibly();
    }
}
