package dev.sliceplane.cli;

import java.lang.reflect.Constructor;

import picocli.CommandLine;

/** Creates commands, handing the {@link Environment} to those whose constructor takes it. */
public final class CommandFactory implements CommandLine.IFactory {

    private final Environment env;

    public CommandFactory(Environment env) {
        this.env = env;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            Class<?>[] parameters = constructor.getParameterTypes();
            if (parameters.length == 1 && parameters[0] == Environment.class) {
                constructor.setAccessible(true);
                return type.cast(constructor.newInstance(env));
            }
        }
        return CommandLine.defaultFactory().create(type);
    }
}
