package dev.regent.events;

/** A sink for promotion events. Must not block or throw: a slow receiver never delays a promotion. */
public interface PromotionEvents {
    PromotionEvents NONE = event -> {
    };

    void told(PromotionEvent event);
}
