/** Placeholder. */ package dev.introducer.bench;
