package io.manifold.core.app;

import io.manifold.core.CborSerializable;
import io.manifold.core.logs.LogChannel;
import org.apache.pekko.actor.typed.ActorRef;

/** Where an app and its log channel can be reached. */
public record AppHandle(String name, String id, ActorRef<App.Command> app, ActorRef<LogChannel.Command> logs)
    implements CborSerializable {}
