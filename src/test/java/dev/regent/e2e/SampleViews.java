package dev.regent.e2e;

/** Changes to the sample app's views.py (examples/app/pages/views.py) that make a build misbehave. */
final class SampleViews {
    static final String PATH = "examples/app/pages/views.py";

    private SampleViews() {
    }

    /** views with its index raising (a 500) on about {@code percent} % of requests. */
    static String indexFailing(String views, int percent) {
        return views.replace("def index(request):\n", "def index(request):\n    import random\n"
                + "    if random.random() < " + percent / 100.0 + ":\n"
                + "        raise RuntimeError('a build that fails " + percent + "% of its requests')\n");
    }

    /** views with its index answering after {@code seconds}. */
    static String indexSlow(String views, double seconds) {
        return views.replace("def index(request):\n", "def index(request):\n    time.sleep(" + seconds + ")\n");
    }
}
