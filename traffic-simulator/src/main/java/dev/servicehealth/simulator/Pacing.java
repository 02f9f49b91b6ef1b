package dev.servicehealth.simulator;

/**
 * How fast records are sent relative to their timestamps: {@code speed} 1 is the original pace, 10
 * is ten times faster, and {@link #maxSpeed()} sends as fast as the sink accepts.
 *
 * @param speed simulated milliseconds per wall-clock millisecond; 0 means unpaced
 */
public record Pacing(double speed) {

    public Pacing {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed: " + speed + " must be a finite number >= 0");
        }
    }

    public static Pacing original() {
        return new Pacing(1);
    }

    public static Pacing speed(double speed) {
        if (speed <= 0) {
            throw new IllegalArgumentException("speed: " + speed + " must be > 0");
        }
        return new Pacing(speed);
    }

    public static Pacing maxSpeed() {
        return new Pacing(0);
    }

    public boolean paced() {
        return speed > 0;
    }
}
