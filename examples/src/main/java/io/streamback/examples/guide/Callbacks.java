package io.streamback.examples.guide;

import io.streamback.Streamback;
import io.streamback.callback.Callback;
import io.streamback.listener.Context;
import io.streamback.listener.Message;

/** The snippets of the guide's section "Handling consume exceptions and other callbacks" (docs/guide.md). */
final class Callbacks {
    private Callbacks() {
    }

    static void callbacks(Streamback streamback) {
        // tag::callbacks[]
        class StreambackCallbacks implements Callback {
            public void onConsumeBegin(Context context, Message message) {
                System.out.println("onConsumeBegin: " + message);
            }
            public void onConsumeEnd(Context context, Message message, Exception exception) {
                System.out.println("onConsumeEnd: " + message + " " + exception);
            }
            public void onConsumeException(Context context, Message message, Exception exception) {
                System.out.println("onConsumeException: " + exception.getClass());
            }
            public void onWorkerStart(String workerName) {
                System.out.println("onWorkerStart " + workerName);
            }
        }

        streamback.addCallback(new StreambackCallbacks());
        // end::callbacks[]
    }
}
