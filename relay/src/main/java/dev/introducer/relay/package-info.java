/** Placeholder. */ package dev.introducer.relay;
