/** Placeholder. */ package dev.introducer.engine;
